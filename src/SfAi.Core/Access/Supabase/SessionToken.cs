using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace SfAi.Core.Access.Supabase;

/// <summary>
/// A compact JWS as sent by a Supabase client: header, payload and signature, each base64url. Only its shape is
/// checked here; <see cref="SessionTokenValidator"/> decides whether to believe it.
/// </summary>
public sealed class SessionToken
{
    private SessionToken(string algorithm, string? keyId, byte[] payload, byte[] signingInput, byte[] signature)
    {
        Algorithm = algorithm;
        KeyId = keyId;
        Payload = payload;
        SigningInput = signingInput;
        Signature = signature;
    }

    /// <summary>The header's <c>alg</c>.</summary>
    public string Algorithm { get; }

    /// <summary>The header's <c>kid</c>, if any.</summary>
    public string? KeyId { get; }

    /// <summary>The payload's JSON bytes.</summary>
    public byte[] Payload { get; }

    /// <summary><c>base64url(header) "." base64url(payload)</c>, the bytes the signature covers.</summary>
    public byte[] SigningInput { get; }

    public byte[] Signature { get; }

    /// <summary>
    /// Whether a bearer value is a JWT rather than a gateway key: three base64url segments, the first a JSON object.
    /// Gateway keys (<c>sk-sfai-…</c>) hold no dots.
    /// </summary>
    public static bool LooksLikeJwt(string value) => TryParse(value) is not null;

    /// <summary>The token's parts; <c>null</c> when it is not a compact JWS with a JSON header naming its <c>alg</c>.</summary>
    public static SessionToken? TryParse(string value)
    {
        var first = value.IndexOf('.', StringComparison.Ordinal);
        var second = first < 0 ? -1 : value.IndexOf('.', first + 1);
        if (first <= 0 || second < 0 || value.IndexOf('.', second + 1) >= 0)
        {
            return null;
        }
        var header = Decode(value.AsSpan(0, first));
        var payload = Decode(value.AsSpan(first + 1, second - first - 1));
        var signature = Decode(value.AsSpan(second + 1));
        if (header is null || payload is null || signature is null || Header(header) is not ({ } algorithm, var keyId))
        {
            return null;
        }
        return new SessionToken(algorithm, keyId, payload, Encoding.ASCII.GetBytes(value[..second]), signature);
    }

    private static byte[]? Decode(ReadOnlySpan<char> segment)
    {
        if (segment.IsEmpty)
        {
            return [];
        }
        try
        {
            return Base64Url.DecodeFromChars(segment);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static (string? Algorithm, string? KeyId) Header(byte[] json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("alg", out var alg) || alg.ValueKind != JsonValueKind.String)
            {
                return (null, null);
            }
            var kid = root.TryGetProperty("kid", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString() : null;
            return (alg.GetString(), kid);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }
}
