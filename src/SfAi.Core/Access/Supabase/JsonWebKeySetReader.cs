using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;

namespace SfAi.Core.Access.Supabase;

/// <summary>
/// Reads a JWKS document (<c>{"keys":[…]}</c>) into the signing keys it holds: EC P-256 keys for ES256 and RSA keys
/// for RS256, each with a <c>kid</c>. Keys of another kind, another use or a malformed key are left out, not fatal.
/// </summary>
public static class JsonWebKeySetReader
{
    /// <exception cref="FormatException">The document is not a JWKS.</exception>
    public static IReadOnlyDictionary<string, SigningKey> Read(ReadOnlySpan<byte> json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray());
        }
        catch (JsonException ex)
        {
            throw new FormatException($"The JWKS is not JSON: {ex.Message}", ex);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("keys", out var keys) || keys.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException("The JWKS has no 'keys' array.");
            }
            var result = new Dictionary<string, SigningKey>(StringComparer.Ordinal);
            foreach (var key in keys.EnumerateArray())
            {
                if (Key(key) is { } signingKey)
                {
                    result[signingKey.KeyId] = signingKey;
                }
            }
            return result;
        }
    }

    private static SigningKey? Key(JsonElement key)
    {
        if (key.ValueKind != JsonValueKind.Object || Text(key, "kid") is not { } kid
            || Text(key, "use") is { } use && use != "sig")
        {
            return null;
        }
        var declared = Text(key, "alg");
        try
        {
            return Text(key, "kty") switch
            {
                "EC" when Text(key, "crv") == "P-256" && declared is null or "ES256" => SigningKey.Es256(kid, new ECParameters
                {
                    Curve = ECCurve.NamedCurves.nistP256,
                    Q = new ECPoint { X = Bytes(key, "x"), Y = Bytes(key, "y") },
                }),
                "RSA" when declared is null or "RS256" => SigningKey.Rs256(kid, new RSAParameters
                {
                    Modulus = Bytes(key, "n"),
                    Exponent = Bytes(key, "e"),
                }),
                _ => null,
            };
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException or ArgumentException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement key, string name) =>
        key.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static byte[] Bytes(JsonElement key, string name) =>
        Base64Url.DecodeFromChars(Text(key, name) ?? throw new FormatException($"'{name}' is missing."));
}
