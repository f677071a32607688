using System.Text.Json;
using SfAi.Core.Errors;
using SfAi.Core.Json;

namespace SfAi.Core.Protocols.AnthropicMessages;

/// <summary>
/// A <see cref="GatewayError"/> as Anthropic's clients read it: <c>{"type":"error","error":{"type","message"}}</c>, the
/// type named after the status (https://docs.anthropic.com/en/api/errors). An upstream Anthropic error relayed as it
/// came (<see cref="GatewayError.RawBody"/> already in this shape) is sent unchanged.
/// </summary>
public static class MessagesErrorWriter
{
    public static byte[] ToUtf8(GatewayError error)
    {
        if (error.RawBody is { } raw && IsAnthropicError(raw.Span))
        {
            return raw.ToArray();
        }
        return JsonWriting.Write(error, static (writer, e) =>
        {
            writer.WriteStartObject();
            writer.WriteString("type", "error");
            writer.WriteStartObject("error");
            writer.WriteString("type", TypeOf(e));
            writer.WriteString("message", e.Message);
            writer.WriteEndObject();
            writer.WriteEndObject();
        });
    }

    /// <summary>Anthropic's error type for the gateway's error: by status, as Anthropic's own statuses mean.</summary>
    public static string TypeOf(GatewayError error) => error.Status switch
    {
        400 or 415 or 422 => "invalid_request_error",
        401 => "authentication_error",
        402 or 403 => "permission_error",
        404 => "not_found_error",
        413 => "request_too_large",
        429 => "rate_limit_error",
        503 or 529 => "overloaded_error",
        504 => "timeout_error",
        _ => "api_error",
    };

    private static bool IsAnthropicError(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("type"u8))
                {
                    reader.Read();
                    return reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("error"u8);
                }
                reader.Read();
                reader.Skip();
            }
        }
        catch (JsonException)
        {
        }
        return false;
    }
}
