using System.Net;
using System.Security.Claims;
using System.Text;
using System.Text.Json;

namespace SfAi.Hosting.Lambda.Events;

/// <summary>
/// The HTTP request an API Gateway HTTP API (payload 2.0) or Function URL event carries, checked and decoded:
/// path and query exactly as sent, the body as bytes.
/// </summary>
internal sealed record HttpApiV2Request(
    string Method,
    string RawPath,
    string RawQueryString,
    string? Stage,
    IReadOnlyDictionary<string, string> Headers,
    IReadOnlyList<string> Cookies,
    byte[] Body,
    IPAddress? SourceIp,
    string Protocol,
    IReadOnlyList<Claim> Claims)
{
    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    /// <exception cref="FormatException">The payload is not a payload 2.0 HTTP event, or its body is not what it claims.</exception>
    public static HttpApiV2Request Parse(ReadOnlySpan<byte> payload)
    {
        if (payload.StartsWith(Utf8Bom))
        {
            payload = payload[Utf8Bom.Length..];
        }
        HttpApiV2Event? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize(payload, LambdaEventJsonContext.Default.HttpApiV2Event);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"The event is not valid JSON: {ex.Message}", ex);
        }
        if (parsed is not { Version: "2.0", RequestContext.Http: { } http } httpEvent)
        {
            throw new FormatException("The event is not an API Gateway HTTP API (payload 2.0) or Function URL event.");
        }
        var context = httpEvent.RequestContext;
        return new HttpApiV2Request(
            http.Method ?? "GET",
            httpEvent.RawPath ?? http.Path ?? "/",
            httpEvent.RawQueryString ?? string.Empty,
            context.Stage,
            HeadersOf(httpEvent),
            httpEvent.Cookies ?? [],
            BodyOf(httpEvent),
            IPAddress.TryParse(http.SourceIp, out var ip) ? ip : null,
            http.Protocol ?? "HTTP/1.1",
            JwtClaims(context));
    }

    private static Dictionary<string, string> HeadersOf(HttpApiV2Event httpEvent)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in httpEvent.Headers ?? [])
        {
            headers[name] = value ?? string.Empty;
        }
        return headers;
    }

    private static byte[] BodyOf(HttpApiV2Event httpEvent)
    {
        if (string.IsNullOrEmpty(httpEvent.Body))
        {
            return [];
        }
        if (!httpEvent.IsBase64Encoded)
        {
            return Encoding.UTF8.GetBytes(httpEvent.Body);
        }
        try
        {
            return Convert.FromBase64String(httpEvent.Body);
        }
        catch (FormatException ex)
        {
            throw new FormatException("The event says its body is base64 but it is not.", ex);
        }
    }

    private static List<Claim> JwtClaims(HttpApiV2RequestContext context) =>
        context.Authorizer?.Jwt?.Claims is { } claims
            ? [.. claims.Select(claim => new Claim(claim.Key,
                claim.Value.ValueKind == JsonValueKind.String ? claim.Value.GetString()! : claim.Value.GetRawText()))]
            : [];
}
