using System.Text;
using System.Text.Json;
using SfAi.Core.Errors;

namespace SfAi.Core.Providers.Anthropic;

/// <summary>
/// Anthropic errors (https://docs.anthropic.com/en/api/errors) → OpenAI's error shape and status: what the client can
/// act on keeps its status (400, 413, 429 with Retry-After); an overload is 503; what only the operator can fix
/// (the gateway's key, an unknown upstream model, a server error) is 502.
/// </summary>
public static class AnthropicErrorMapper
{
    public static GatewayError FromResponse(string provider, int status, byte[] body, string? retryAfter)
    {
        var (type, message) = Read(body);
        message ??= Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 500)).Trim();
        return FromError(provider, type ?? StatusType(status), message) with { RetryAfter = retryAfter };
    }

    /// <summary>An <c>error</c> object, as it comes in a response body or a stream's <c>error</c> event.</summary>
    public static GatewayError FromError(string provider, string type, string message) => type switch
    {
        "invalid_request_error" => Upstream(400, "invalid_request_error", null, message),
        "request_too_large" => Upstream(413, "invalid_request_error", "request_too_large", message),
        "rate_limit_error" => Upstream(429, "rate_limit_error", "rate_limit_exceeded", message),
        "overloaded_error" => Upstream(503, "server_error", "overloaded", $"The upstream provider '{provider}' is overloaded: {message}"),
        "timeout_error" => new GatewayError(504, "timeout_error", "upstream_timeout", null,
            $"The upstream provider '{provider}' timed out: {message}", ErrorKinds.Timeout),
        "authentication_error" or "permission_error" => Upstream(502, "upstream_error", "upstream_authentication_failed",
            $"The upstream provider '{provider}' refused the gateway's credentials ({type}): {message}"),
        "not_found_error" => Upstream(502, "upstream_error", "upstream_not_found",
            $"The upstream provider '{provider}' does not know what the gateway asked for: {message}"),
        _ => GatewayError.UpstreamUnavailable(provider, $"{type}: {message}"),
    };

    private static GatewayError Upstream(int status, string type, string? code, string message) =>
        new(status, type, code, null, message, ErrorKinds.UpstreamError);

    private static string StatusType(int status) => status switch
    {
        400 => "invalid_request_error",
        401 => "authentication_error",
        403 => "permission_error",
        404 => "not_found_error",
        413 => "request_too_large",
        429 => "rate_limit_error",
        504 => "timeout_error",
        529 => "overloaded_error",
        _ => "api_error",
    };

    private static (string? Type, string? Message) Read(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                return (Text(error, "type"), Text(error, "message"));
            }
        }
        catch (JsonException)
        {
        }
        return (null, null);
    }

    internal static string? Text(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
