using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SfAi.Hosting.Lambda.Events;
using SfAi.Hosting.Lambda.RuntimeApi;
using SfAi.Hosting.Lambda.Streaming;

namespace SfAi.Hosting.Lambda.Server;

/// <summary>
/// An ASP.NET Core server that takes its requests from the Lambda Runtime API instead of a socket: once the app has
/// started, it asks for one invocation at a time; each HTTP API / Function URL event becomes an
/// <see cref="HttpContext"/>, and the app's response becomes the invocation's response. A failure that escapes the
/// app becomes a 500 (or, once a streamed response has left, error trailers), never a Lambda error; an event that is
/// not an HTTP event is a Lambda error.
/// </summary>
internal sealed partial class LambdaServer : IServer
{
    private const string InvalidEventType = "InvalidEvent";
    private const string AbortedType = "ResponseAborted";
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(100);

    private readonly RuntimeApiEndpoint _endpoint;
    private readonly bool _streaming;
    private readonly TimeProvider _time;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger<LambdaServer> _logger;
    private readonly CancellationTokenSource _stopping = new();
    private RuntimeApiClient? _client;
    private Task? _loop;

    public LambdaServer(RuntimeApiEndpoint endpoint, bool streaming, TimeProvider time, IHostApplicationLifetime lifetime, ILogger<LambdaServer> logger)
    {
        _endpoint = endpoint;
        _streaming = streaming;
        _time = time;
        _lifetime = lifetime;
        _logger = logger;
    }

    public IFeatureCollection Features { get; } = new FeatureCollection();

    public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
        where TContext : notnull
    {
        _client = new RuntimeApiClient(_endpoint, _time);
        _loop = Task.Run(() => RunAsync(application, _client, _stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        if (_loop is not null)
        {
            await _loop.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    public void Dispose()
    {
        _stopping.Dispose();
        _client?.Dispose();
    }

    private async Task RunAsync<TContext>(IHttpApplication<TContext> application, RuntimeApiClient client, CancellationToken stopping)
        where TContext : notnull
    {
        if (!await StartedAsync(stopping))
        {
            return;
        }
        while (!stopping.IsCancellationRequested)
        {
            Invocation invocation;
            try
            {
                invocation = await client.NextAsync(stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (HttpRequestException ex) when (ex.StatusCode is HttpStatusCode.InternalServerError)
            {
                LogContainerError(_logger, ex);
                _lifetime.StopApplication();
                return;
            }
            catch (Exception ex)
            {
                LogRuntimeApiFailure(_logger, ex);
                await Task.Delay(RetryDelay, _time, stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                continue;
            }

            try
            {
                await HandleAsync(application, client, invocation, stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogResponseFailure(_logger, invocation.RequestId, ex);
            }
        }
    }

    /// <summary>Waits until every part of the app has started, so that a start-up failure comes before any invocation.</summary>
    private async Task<bool> StartedAsync(CancellationToken stopping)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (_lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        await using (stopping.Register(() => started.TrySetCanceled(stopping)))
        {
            await started.Task.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        return started.Task.IsCompletedSuccessfully;
    }

    private async Task HandleAsync<TContext>(IHttpApplication<TContext> application, RuntimeApiClient client, Invocation invocation, CancellationToken stopping)
        where TContext : notnull
    {
        Environment.SetEnvironmentVariable("_X_AMZN_TRACE_ID", invocation.TraceId);
        LambdaInvocation.Current = invocation;
        HttpApiV2Request request;
        try
        {
            request = HttpApiV2Request.Parse(invocation.Payload);
        }
        catch (FormatException ex)
        {
            LogInvalidEvent(_logger, invocation.RequestId, ex.Message);
            await client.PostErrorAsync(invocation.RequestId, new RuntimeError(InvalidEventType, ex.Message), stopping);
            return;
        }

        await using IResponseTransport transport = _streaming
            ? new StreamingTransport(_endpoint, invocation.RequestId)
            : new BufferedTransport(client, invocation.RequestId);
        using var response = new InvocationResponse(transport);
        using var features = new InvocationFeatures(invocation, request, response, _time);
        var context = application.CreateContext(features.Collection);
        Exception? exception = null;
        try
        {
            await application.ProcessRequestAsync(context);
        }
        catch (Exception ex)
        {
            exception = ex;
            LogUnhandled(_logger, invocation.RequestId, ex);
        }

        var failure = exception is not null ? new RuntimeError(exception.GetType().Name, "The response failed after it had started.")
            : features.Lifetime.AbortedByApp ? new RuntimeError(AbortedType, "The app aborted the response after it had started.")
            : null;
        if (failure is not null && transport.CanReplace)
        {
            await response.ReplaceAsync(StatusCodes.Status500InternalServerError, InternalErrorBody.ContentType, InternalErrorBody.For(invocation.RequestId), stopping);
            failure = null;
        }
        try
        {
            await response.FinishAsync(failure, stopping);
        }
        finally
        {
            try
            {
                await response.RunCompletedCallbacksAsync();
            }
            catch (Exception ex)
            {
                LogUnhandled(_logger, invocation.RequestId, ex);
            }
            application.DisposeContext(context, exception);
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "The Lambda Runtime API could not be reached; trying again")]
    private static partial void LogRuntimeApiFailure(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "Unhandled exception in Lambda invocation {RequestId}")]
    private static partial void LogUnhandled(ILogger logger, string requestId, Exception exception);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Lambda invocation {RequestId} is not an HTTP event: {Problem}")]
    private static partial void LogInvalidEvent(ILogger logger, string requestId, string problem);

    [LoggerMessage(EventId = 4, Level = LogLevel.Error, Message = "The response of Lambda invocation {RequestId} could not be delivered")]
    private static partial void LogResponseFailure(ILogger logger, string requestId, Exception exception);

    [LoggerMessage(EventId = 5, Level = LogLevel.Critical, Message = "The Lambda Runtime API reported a container error; stopping")]
    private static partial void LogContainerError(ILogger logger, Exception exception);
}
