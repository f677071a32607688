using System.Security.Cryptography;
using System.Text;

namespace SfAi.Api.Tests.Support;

/// <summary>Keys files for tests: each test key's hash, never the key, as in production.</summary>
public static class KeysFiles
{
    public const string AliceKey = "sk-sfai-alice-0123456789abcdef";
    public const string BobKey = "sk-sfai-bob-0123456789abcdef";
    public const string ExpiredKey = "sk-sfai-old-0123456789abcdef";

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public static string Standard(string anonymousAliases = "") => $$"""
        {
          {{(anonymousAliases.Length > 0 ? $$"""
          "anonymous": { "aliases": [{{anonymousAliases}}] },
          """ : "")}}
          "keys": [
            { "name": "alice", "sha256": "{{Hash(AliceKey)}}", "aliases": ["*"] },
            { "name": "bob", "sha256": "{{Hash(BobKey)}}", "aliases": ["echo"] },
            { "name": "old", "sha256": "{{Hash(ExpiredKey)}}", "aliases": ["*"], "expires": "2020-01-01T00:00:00Z" }
          ]
        }
        """;

    public static async Task<string> WriteAsync(string json)
    {
        var path = Path.Combine(Path.GetTempPath(), $"sfai-keys-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, json, TestContext.Current.CancellationToken);
        return path;
    }
}
