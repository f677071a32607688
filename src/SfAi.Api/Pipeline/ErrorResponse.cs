using SfAi.Api.Endpoints;
using SfAi.Core.Errors;
using SfAi.Core.Protocols.OpenAIResponses;
using SfAi.Core.Protocols.AnthropicMessages;
using SfAi.Core.Streaming;

namespace SfAi.Api.Pipeline;

/// <summary>Sends a <see cref="GatewayError"/> to the client in the shape of its route's protocol, with its status and headers.</summary>
internal static class ErrorResponse
{
    public static async Task WriteAsync(HttpContext context, GatewayError error)
    {
        var response = context.Response;
        response.StatusCode = error.Status;
        response.ContentType = "application/json";
        if (error.RetryAfter is { } retryAfter)
        {
            response.Headers.RetryAfter = retryAfter;
        }
        foreach (var (name, value) in error.Headers ?? new Dictionary<string, string>())
        {
            response.Headers[name] = value;
        }
        await response.Body.WriteAsync(Body(GatewayRoutes.ProtocolOf(context.Gateway().Route, context.Request.Path.Value), error), context.RequestAborted);
    }

    /// <summary>The error event of a stream that fails after it started, as each protocol's clients read it.</summary>
    public static SseEvent Event(GatewayProtocol protocol, GatewayError error) => protocol switch
    {
        GatewayProtocol.OpenAIChat or GatewayProtocol.Gateway => SseEvent.Unnamed(OpenAIErrorBody.ToUtf8(error)),
        GatewayProtocol.OpenAIResponses => new(ResponsesErrorWriter.ErrorEventName, ResponsesErrorWriter.ErrorEvent(error, 0)),
        GatewayProtocol.AnthropicMessages => new SseEvent("error", MessagesErrorWriter.ToUtf8(error)),
        _ => throw new ArgumentOutOfRangeException(nameof(protocol), protocol, "No error event for this protocol."),
    };

    /// <summary>The error body each protocol's clients parse; the gateway's own routes answer as OpenAI does.</summary>
    private static byte[] Body(GatewayProtocol protocol, GatewayError error) => protocol switch
    {
        GatewayProtocol.OpenAIChat or GatewayProtocol.Gateway or GatewayProtocol.OpenAIResponses => OpenAIErrorBody.ToUtf8(error),
        GatewayProtocol.AnthropicMessages => MessagesErrorWriter.ToUtf8(error),
        _ => throw new ArgumentOutOfRangeException(nameof(protocol), protocol, "No error shape for this protocol."),
    };
}
