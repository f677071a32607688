using SfAi.Core.Errors;

namespace SfAi.Api.Chat;

/// <summary>Sends a <see cref="GatewayError"/> to the client in OpenAI's error shape.</summary>
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
        await response.Body.WriteAsync(OpenAIErrorBody.ToUtf8(error), context.RequestAborted);
    }
}
