using System.Net;
using System.Security.Claims;
using System.Text.Json;

namespace SfAi.Hosting.Lambda.Events;

/// <summary>
/// An API Gateway HTTP API payload 2.0 event, or a Lambda Function URL event (same format)
/// (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html).
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
    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];

    /// <exception cref="FormatException">The payload is not a payload 2.0 HTTP event.</exception>
    public static HttpApiV2Request Parse(ReadOnlySpan<byte> payload)
    {
        if (payload.StartsWith(Utf8Bom))
        {
            payload = payload[Utf8Bom.Length..];
        }
        try
        {
            using var document = JsonDocument.Parse(payload.ToArray());
            var root = document.RootElement;
            if (Text(root, "version") != "2.0" || !root.TryGetProperty("requestContext", out var context)
                || !context.TryGetProperty("http", out var http))
            {
                throw new FormatException("The event is not an API Gateway HTTP API (payload 2.0) or Function URL event.");
            }
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (root.TryGetProperty("headers", out var headerObject) && headerObject.ValueKind == JsonValueKind.Object)
            {
                foreach (var header in headerObject.EnumerateObject())
                {
                    headers[header.Name] = header.Value.GetString() ?? string.Empty;
                }
            }
            var cookies = root.TryGetProperty("cookies", out var cookieArray) && cookieArray.ValueKind == JsonValueKind.Array
                ? cookieArray.EnumerateArray().Select(c => c.GetString() ?? string.Empty).ToList()
                : [];
            var body = Text(root, "body") ?? string.Empty;
            var base64 = root.TryGetProperty("isBase64Encoded", out var encoded) && encoded.ValueKind == JsonValueKind.True;
            return new HttpApiV2Request(
                Text(http, "method") ?? "GET",
                Text(root, "rawPath") ?? Text(http, "path") ?? "/",
                Text(root, "rawQueryString") ?? string.Empty,
                Text(context, "stage"),
                headers,
                cookies,
                base64 ? Convert.FromBase64String(body) : System.Text.Encoding.UTF8.GetBytes(body),
                IPAddress.TryParse(Text(http, "sourceIp"), out var ip) ? ip : null,
                Text(http, "protocol") ?? "HTTP/1.1",
                JwtClaims(context));
        }
        catch (JsonException ex)
        {
            throw new FormatException($"The event is not valid JSON: {ex.Message}", ex);
        }
    }

    private static List<Claim> JwtClaims(JsonElement context)
    {
        var claims = new List<Claim>();
        if (context.TryGetProperty("authorizer", out var authorizer) && authorizer.TryGetProperty("jwt", out var jwt)
            && jwt.TryGetProperty("claims", out var claimObject) && claimObject.ValueKind == JsonValueKind.Object)
        {
            foreach (var claim in claimObject.EnumerateObject())
            {
                claims.Add(new Claim(claim.Name, claim.Value.ValueKind == JsonValueKind.String ? claim.Value.GetString()! : claim.Value.GetRawText()));
            }
        }
        return claims;
    }

    private static string? Text(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
