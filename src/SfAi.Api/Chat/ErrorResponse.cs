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
        foreach (var (name, value) in error.Headers ?? new Dictionary<string, string>())
        {
            response.Headers[name] = value;
        }
        await response.Body.WriteAsync(OpenAIErrorBody.ToUtf8(error), context.RequestAborted);
    }
}
