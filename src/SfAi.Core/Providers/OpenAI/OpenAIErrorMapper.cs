using System.Globalization;
using System.Text;
using System.Text.Json;
using SfAi.Core.Errors;

namespace SfAi.Core.Providers.OpenAI;

/// <summary>
/// Maps an upstream failure to what the client gets: 4xx relayed with the upstream's own OpenAI error body,
/// 5xx as 502, both in OpenAI's shape.
/// </summary>
public static class OpenAIErrorMapper
{
    private const int MaxQuotedLength = 500;

    public static GatewayError FromResponse(string provider, int status, byte[] body, string? retryAfter)
    {
        var (message, type, code, param, isOpenAIShape) = ReadError(body);
        if (status is >= 400 and < 500)
        {
            var text = message ?? $"The upstream provider '{provider}' rejected the request with HTTP {status}: {Quote(body)}";
            return new GatewayError(status, type ?? "invalid_request_error", code, param, text, ErrorKinds.UpstreamError)
            {
                RawBody = isOpenAIShape ? body : (ReadOnlyMemory<byte>?)null,
                RetryAfter = retryAfter,
            };
        }

        var detail = string.Create(CultureInfo.InvariantCulture, $"HTTP {status}: {message ?? Quote(body)}");
        return GatewayError.UpstreamUnavailable(provider, detail) with { RetryAfter = retryAfter };
    }

    private static (string? Message, string? Type, string? Code, string? Param, bool IsOpenAIShape) ReadError(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                return (Text(error, "message"), Text(error, "type"), Text(error, "code"), Text(error, "param"), true);
            }
        }
        catch (JsonException)
        {
        }
        return (null, null, null, null, false);
    }

    private static string? Text(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        } : null;

    private static string Quote(byte[] body)
    {
        var text = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, MaxQuotedLength)).Trim();
        return text.Length == 0 ? "(empty body)" : text;
    }
}
