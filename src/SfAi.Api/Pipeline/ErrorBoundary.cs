using SfAi.Api.Logging;
using SfAi.Core.Errors;
using SfAi.Core.Logging;
using SfAi.Core.Providers;

namespace SfAi.Api.Pipeline;

/// <summary>
/// The one place a failed request is told and logged: every step throws (<see cref="GatewayException"/>, or anything
/// unexpected), and this boundary logs the single <c>llm_error</c> — with the alias, provider and model of the call when
/// one had started (<see cref="GatewayRequestFeature.Call"/>) — and writes the error in the shape of the route's
/// protocol with its status and headers. A client that is gone is logged <c>client_closed</c> and gets nothing more;
/// an unexpected exception becomes a 500 with the request id, never a stack trace.
/// </summary>
internal sealed partial class ErrorBoundary
{
    private readonly RequestDelegate _next;
    private readonly GatewayEventLog _events;
    private readonly ILogger<ErrorBoundary> _logger;

    public ErrorBoundary(RequestDelegate next, GatewayEventLog events, ILogger<ErrorBoundary> logger)
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
        catch (GatewayException ex)
        {
            await FailAsync(context, ex.Error);
        }
        catch (Exception ex) when (ex is ClientClosedException || ex is OperationCanceledException && context.RequestAborted.IsCancellationRequested)
        {
            await FailAsync(context, GatewayError.ClientClosed(
                "The client closed the connection before the gateway answered; the upstream call, if any, was cancelled."));
        }
        catch (BadHttpRequestException ex)
        {
            await FailAsync(context, GatewayError.BadRequest($"The HTTP request is malformed: {ex.Message}") with { Status = ex.StatusCode });
        }
        catch (Exception ex)
        {
            var requestId = context.Gateway().RequestId;
            LogUnhandled(_logger, requestId, context.Request.Path, ex);
            await FailAsync(context, GatewayError.Internal(requestId), clear: true);
        }
    }

    private async Task FailAsync(HttpContext context, GatewayError error, bool clear = false)
    {
        var request = context.Gateway();
        var origin = RequestOrigins.From(context);
        _events.Error(CompletionRecordBuilder.Error(origin with { KeyName = error.KeyName ?? origin.KeyName }, error, request.Call, request.Elapsed));
        if (error.Kind == ErrorKinds.ClientClosed || context.Response.HasStarted)
        {
            context.Abort();
            return;
        }
        if (clear)
        {
            context.Response.Clear();
            context.Response.Headers[Middleware.RequestIdMiddleware.HeaderName] = request.RequestId;
        }
        try
        {
            await ErrorResponse.WriteAsync(context, error);
        }
        catch (Exception ex) when (context.RequestAborted.IsCancellationRequested || ex is IOException)
        {
            context.Abort();
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Unhandled exception in request {RequestId} to {Path}")]
    private static partial void LogUnhandled(ILogger logger, string requestId, PathString path, Exception exception);
}
