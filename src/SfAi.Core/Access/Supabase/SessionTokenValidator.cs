using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace SfAi.Core.Access.Supabase;

/// <summary>
/// Verifies a Supabase access token locally: its signature (ES256 or RS256 with a key of the project's JWKS, or HS256
/// with the legacy JWT secret; each algorithm only with its own kind of key, never <c>none</c>), its lifetime
/// (<c>exp</c>, <c>nbf</c>, 30 s of clock skew), its issuer and audience, and that it is a user's session
/// (<c>role: authenticated</c>) or the project's anon key (<c>role: anon</c>).
/// </summary>
public sealed class SessionTokenValidator
{
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    /// <summary>The issuer of the project's legacy anon and service keys, which name no URL.</summary>
    private const string LegacyKeyIssuer = "supabase";

    private readonly SupabaseProject _project;
    private readonly SigningKeyCache _keys;
    private readonly Func<CancellationToken, ValueTask<string?>> _legacySecret;
    private readonly TimeProvider _time;

    /// <summary><paramref name="legacySecret"/> gives the project's legacy JWT secret (HS256), or <c>null</c> when none is configured.</summary>
    public SessionTokenValidator(SupabaseProject project, SigningKeyCache keys, Func<CancellationToken, ValueTask<string?>> legacySecret, TimeProvider time)
    {
        _project = project;
        _keys = keys;
        _legacySecret = legacySecret;
        _time = time;
    }

    /// <exception cref="Errors.GatewayException">401 naming the check that failed; 503 when the signing keys cannot be read.</exception>
    public async ValueTask<SupabaseSession> ValidateAsync(SessionToken token, CancellationToken cancellationToken)
    {
        await VerifySignatureAsync(token, cancellationToken);
        using var payload = Payload(token);
        var claims = payload.RootElement;
        CheckLifetime(claims);

        var role = Text(claims, "role");
        var issuer = Text(claims, "iss");
        if (role == "anon")
        {
            if (issuer != _project.Issuer && issuer != LegacyKeyIssuer)
            {
                throw SessionErrors.Refused($"wrong issuer (expected {_project.Issuer})");
            }
            return new SupabaseSession(null, null, IsAnonymous: true, null);
        }
        if (issuer != _project.Issuer)
        {
            throw SessionErrors.Refused($"wrong issuer (expected {_project.Issuer})");
        }
        if (!HasAudience(claims, _project.Audience))
        {
            throw SessionErrors.Refused($"wrong audience (expected '{_project.Audience}')");
        }
        if (role != "authenticated")
        {
            throw SessionErrors.Refused($"not a user session (role '{role ?? "(none)"}'; only 'authenticated' and 'anon' are accepted)");
        }
        if (Text(claims, "sub") is not { Length: > 0 } userId)
        {
            throw SessionErrors.Refused("not a user session (no 'sub')");
        }
        JsonElement? sfai = claims.TryGetProperty("app_metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object
            && metadata.TryGetProperty("sfai", out var own) && own.ValueKind == JsonValueKind.Object
                ? own.Clone()
                : null;
        return new SupabaseSession(userId, Text(claims, "email") is { Length: > 0 } email ? email : null, IsAnonymous: false, sfai);
    }

    private async ValueTask VerifySignatureAsync(SessionToken token, CancellationToken cancellationToken)
    {
        switch (token.Algorithm)
        {
            case "HS256":
                if (await _legacySecret(cancellationToken) is not { Length: > 0 } secret)
                {
                    throw SessionErrors.Refused("alg 'HS256' is not accepted (no legacy JWT secret is configured; the project's tokens are verified with its JWKS)");
                }
                var expected = HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret), token.SigningInput);
                if (!CryptographicOperations.FixedTimeEquals(expected, token.Signature))
                {
                    throw SessionErrors.Refused("bad signature");
                }
                return;
            case "ES256" or "RS256":
                if (token.KeyId is null)
                {
                    throw SessionErrors.Refused("unknown key id (the token names none)");
                }
                var key = await _keys.FindAsync(token.KeyId, cancellationToken)
                    ?? throw SessionErrors.Refused($"unknown key id '{token.KeyId}' (not in the project's JWKS)");
                if (key.Algorithm != token.Algorithm)
                {
                    throw SessionErrors.Refused($"alg '{token.Algorithm}' does not match key '{key.KeyId}' ({key.Algorithm})");
                }
                if (!key.Verify(token.SigningInput, token.Signature))
                {
                    throw SessionErrors.Refused("bad signature");
                }
                return;
            default:
                throw SessionErrors.Refused($"alg '{token.Algorithm}' is not accepted (ES256, RS256 or HS256 only)");
        }
    }

    private static JsonDocument Payload(SessionToken token)
    {
        try
        {
            var document = JsonDocument.Parse(token.Payload);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return document;
            }
            document.Dispose();
        }
        catch (JsonException)
        {
        }
        throw SessionErrors.Refused("malformed payload");
    }

    private void CheckLifetime(JsonElement claims)
    {
        var now = _time.GetUtcNow();
        if (Seconds(claims, "exp") is not { } expires)
        {
            throw SessionErrors.Refused("no expiry ('exp')");
        }
        if (now - ClockSkew >= expires)
        {
            throw SessionErrors.Refused(string.Create(CultureInfo.InvariantCulture, $"expired at {expires:u}"));
        }
        if (Seconds(claims, "nbf") is { } notBefore && now + ClockSkew < notBefore)
        {
            throw SessionErrors.Refused(string.Create(CultureInfo.InvariantCulture, $"not valid before {notBefore:u}"));
        }
    }

    private static bool HasAudience(JsonElement claims, string audience) =>
        claims.TryGetProperty("aud", out var aud) && aud.ValueKind switch
        {
            JsonValueKind.String => aud.GetString() == audience,
            JsonValueKind.Array => aud.EnumerateArray().Any(a => a.ValueKind == JsonValueKind.String && a.GetString() == audience),
            _ => false,
        };

    private static DateTimeOffset? Seconds(JsonElement claims, string name) =>
        claims.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var seconds)
            && seconds is > -62135596800 and < 253402300799
            ? DateTimeOffset.UnixEpoch.AddSeconds(Math.Floor(seconds))
            : null;

    private static string? Text(JsonElement claims, string name) =>
        claims.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
