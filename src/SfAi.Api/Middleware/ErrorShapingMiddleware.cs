using SfAi.Api.Pipeline;
using SfAi.Api.Chat;
using SfAi.Api.Logging;
using SfAi.Core.Errors;
using SfAi.Core.Logging;

namespace SfAi.Api.Middleware;

/// <summary>
/// The last line of defence: an unexpected exception becomes a 500 in OpenAI's error shape with the request id,
/// never a stack trace, and is logged with its exception.
/// </summary>
internal sealed partial class ErrorShapingMiddleware
{
    private readonly RequestDelegate _next;
    private readonly GatewayEventLog _events;
    private readonly ILogger<ErrorShapingMiddleware> _logger;

    public ErrorShapingMiddleware(RequestDelegate next, GatewayEventLog events, ILogger<ErrorShapingMiddleware> logger)
    {
        _next = next;
        _events = events;
        _logger = logger;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await _next(context);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
        }
        catch (BadHttpRequestException ex)
        {
            await FailAsync(context, GatewayError.BadRequest($"The HTTP request is malformed: {ex.Message}") with { Status = ex.StatusCode });
        }
        catch (Exception ex)
        {
            var requestId = context.Gateway().RequestId;
            LogUnhandled(_logger, requestId, context.Request.Path, ex);
            await FailAsync(context, GatewayError.Internal(requestId));
        }
    }

    private async Task FailAsync(HttpContext context, GatewayError error)
    {
        _events.Error(CompletionRecordBuilder.Error(RequestOrigins.From(context), error, null, context.Gateway().Elapsed));
        if (context.Response.HasStarted)
        {
            context.Abort();
            return;
        }
        context.Response.Clear();
        await ErrorResponse.WriteAsync(context, error);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Unhandled exception in request {RequestId} to {Path}")]
    private static partial void LogUnhandled(ILogger logger, string requestId, PathString path, Exception exception);
}
