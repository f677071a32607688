using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SfAi.Hosting.Lambda.Events;
using SfAi.Hosting.Lambda.RuntimeApi;
using SfAi.Hosting.Lambda.Streaming;

namespace SfAi.Hosting.Lambda.Server;

/// <summary>
/// An ASP.NET Core server that takes its requests from the Lambda Runtime API instead of a socket: each invocation's
/// HTTP API / Function URL event becomes an <see cref="HttpContext"/>, and the app's response becomes the
/// invocation's response. A failure the app lets escape becomes a 500 in OpenAI's error shape, not a Lambda error.
/// </summary>
internal sealed partial class LambdaServer : IServer
{
    private const string InternalError = """{"error":{"message":"The gateway failed unexpectedly; the failure was logged.","type":"server_error","param":null,"code":"internal_error"}}""";

    private readonly LambdaHostingOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<LambdaServer> _logger;
    private readonly CancellationTokenSource _stopping = new();
    private RuntimeApiClient? _client;
    private Task? _loop;

    public LambdaServer(IOptions<LambdaHostingOptions> options, TimeProvider time, ILogger<LambdaServer> logger)
    {
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    public IFeatureCollection Features { get; } = new FeatureCollection();

    public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
        where TContext : notnull
    {
        _client = new RuntimeApiClient(_options.RuntimeApi ?? throw new InvalidOperationException("AWS_LAMBDA_RUNTIME_API is not set."));
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
        while (!stopping.IsCancellationRequested)
        {
            Invocation invocation;
            try
            {
                invocation = await client.NextAsync(stopping);
            }
            catch (Exception ex) when (!stopping.IsCancellationRequested)
            {
                LogRuntimeApiFailure(_logger, ex);
                await Task.Delay(TimeSpan.FromMilliseconds(100), _time, stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                continue;
            }
            catch (OperationCanceledException)
            {
                return;
            }
            await HandleAsync(application, client, invocation, stopping);
        }
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
            await client.PostErrorAsync(invocation.RequestId, "InvalidEvent", ex.Message, stopping);
            return;
        }

        if (_options.ResponseStreaming)
        {
            await StreamAsync(application, invocation, request, stopping);
            return;
        }

        using var response = new InvocationResponse();
        using var features = new InvocationFeatures(invocation, request, response, response, _time);
        var context = application.CreateContext(features.Collection);
        Exception? failure = null;
        try
        {
            await application.ProcessRequestAsync(context);
        }
        catch (Exception ex)
        {
            failure = ex;
            LogUnhandled(_logger, invocation.RequestId, ex);
            response.Reset();
            response.Headers.ContentType = "application/json";
            await response.Body.WriteAsync(Encoding.UTF8.GetBytes(InternalError), stopping);
        }
        await response.CompleteAsync();
        await client.PostResponseAsync(invocation.RequestId, HttpApiV2Response.Buffered(response.StatusCode, response.Headers, response.BodyBytes), stopping);
        await response.CompletedAsync();
        application.DisposeContext(context, failure);
    }

    private async Task StreamAsync<TContext>(IHttpApplication<TContext> application, Invocation invocation, HttpApiV2Request request, CancellationToken stopping)
        where TContext : notnull
    {
        await using var response = new StreamingInvocationResponse(_options.RuntimeApi!, invocation.RequestId);
        using var features = new InvocationFeatures(invocation, request, response, response, _time);
        var context = application.CreateContext(features.Collection);
        Exception? failure = null;
        try
        {
            await application.ProcessRequestAsync(context);
        }
        catch (Exception ex)
        {
            failure = ex;
            LogUnhandled(_logger, invocation.RequestId, ex);
            if (!response.HasStarted)
            {
                response.StatusCode = StatusCodes.Status500InternalServerError;
                response.Headers.ContentType = "application/json";
                await response.Body.WriteAsync(Encoding.UTF8.GetBytes(InternalError), stopping);
                failure = null;
            }
        }
        await response.FinishAsync(failure, stopping);
        await response.CompletedAsync();
        application.DisposeContext(context, failure);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "The Lambda Runtime API could not be reached")]
    private static partial void LogRuntimeApiFailure(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "Unhandled exception in Lambda invocation {RequestId}")]
    private static partial void LogUnhandled(ILogger logger, string requestId, Exception exception);
}
