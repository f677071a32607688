using System.Security.Cryptography;
using System.Text;
using SfAi.Core.Errors;

namespace SfAi.Core.Access;

/// <summary>
/// Checks a presented key against the stored SHA-256 hashes, comparing every entry in constant time, so neither
/// the answer's timing nor its content tells anything about the stored keys.
/// </summary>
public static class ApiKeyVerifier
{
    /// <exception cref="GatewayException">401: no key where one is required, an unknown key, or an expired one.</exception>
    public static AccessGrant Authenticate(ApiKeySet keys, string? presentedKey, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(presentedKey))
        {
            return keys.Anonymous ?? throw Unauthorized(
                "You didn't provide an API key. Send it as 'Authorization: Bearer <key>', 'x-api-key: <key>' or 'apikey: <key>'.");
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(presentedKey));
        ApiKeyEntry? match = null;
        foreach (var entry in keys.Keys)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, entry.Sha256))
            {
                match = entry;
            }
        }
        if (match is null)
        {
            throw Unauthorized($"Incorrect API key provided: {Redact(presentedKey)}.");
        }
        if (match.ExpiresAt is { } expires && expires <= now)
        {
            throw Unauthorized($"The API key '{match.Name}' expired at {expires:u}.", match.Name);
        }
        return new AccessGrant(match.Name, match.Aliases, match.RequestsPerMinute, match.TokensPerMinute) { Budget = match.Budget, Admin = match.Admin };
    }

    /// <exception cref="GatewayException">403 <c>model_not_allowed</c>.</exception>
    public static void Authorize(AccessGrant grant, string alias)
    {
        if (!grant.Allows(alias))
        {
            throw new GatewayException(new GatewayError(403, "invalid_request_error", "model_not_allowed", "model",
                $"The key '{grant.Name}' may not use the model '{alias}'.", ErrorKinds.Forbidden));
        }
    }

    /// <summary>Enough of a key to recognise it, as OpenAI shows it: the first 3 and last 4 characters.</summary>
    public static string Redact(string key) => key.Length <= 12 ? "***" : $"{key[..3]}***{key[^4..]}";

    private static GatewayException Unauthorized(string message, string? keyName = null) =>
        new(new GatewayError(401, "invalid_request_error", "invalid_api_key", null, message, ErrorKinds.Unauthorized) { KeyName = keyName });
}
