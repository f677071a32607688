using System.Security.Cryptography;
using System.Text;

namespace SfAi.Core.Access;

/// <summary>Makes a new gateway key: 32 random bytes, base64url, prefixed <c>sk-sfai-</c>; only its hash is ever stored.</summary>
public static class ApiKeyGenerator
{
    public const string Prefix = "sk-sfai-";

    public static string NewKey() =>
        Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Sha256Hex(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
