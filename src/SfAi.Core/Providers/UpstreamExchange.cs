using System.Diagnostics;
using SfAi.Core.Errors;
using SfAi.Core.ModelMap;
using SfAi.Core.Providers.Resilience;

namespace SfAi.Core.Providers;

/// <summary>
/// One call to a provider under its timeouts: the wait for response headers, for a whole body and between two
/// stream events restarts with every sign of life; the whole call, retries included, ends at the provider's total
/// timeout or at the invocation's deadline, whichever comes first. Failures become gateway errors — a timeout 504, a
/// refused connection or a broken body 502, an open circuit 503 — and a cancellation by the client stays one.
/// </summary>
public sealed class UpstreamExchange : IDisposable
{
    /// <summary>Time kept back before an invocation's deadline, so the gateway can still answer the client.</summary>
    public static readonly TimeSpan DeadlineMargin = TimeSpan.FromMilliseconds(500);

    private readonly ProviderDefinition _provider;
    private readonly CancellationToken _clientToken;
    private readonly CancellationTokenSource _total;
    private CancellationTokenSource? _idle;

    public UpstreamExchange(ProviderDefinition provider, DateTimeOffset? deadline, TimeProvider time, CancellationToken clientToken)
    {
        _provider = provider;
        _clientToken = clientToken;
        StartTimestamp = Stopwatch.GetTimestamp();
        TotalBudget = deadline is { } end && end - DeadlineMargin - time.GetUtcNow() < provider.TotalTimeout
            ? TimeSpan.FromTicks(Math.Max(1, (end - DeadlineMargin - time.GetUtcNow()).Ticks))
            : provider.TotalTimeout;
        _total = CancellationTokenSource.CreateLinkedTokenSource(clientToken);
        _total.CancelAfter(TotalBudget);
    }

    /// <summary>A <see cref="Stopwatch"/> timestamp of the call's start, for the time to its first event.</summary>
    public long StartTimestamp { get; }

    public string ProviderName => _provider.Name;

    /// <summary>How long the whole call may take: the total timeout, cut to the deadline.</summary>
    public TimeSpan TotalBudget { get; }

    /// <summary>Cancelled by the client or by a timeout (before the first try, by the client or the total timeout).</summary>
    public CancellationToken Token => _idle?.Token ?? _total.Token;

    /// <summary>Starts the wait for the first byte of a new try afresh (the backoff before it does not count).</summary>
    private void NewAttempt()
    {
        var previous = _idle;
        _idle = CancellationTokenSource.CreateLinkedTokenSource(_total.Token);
        _idle.CancelAfter(_provider.Timeout);
        previous?.Dispose();
    }

    /// <summary>Restarts the wait for the next sign of life.</summary>
    public void Alive() => _idle?.CancelAfter(_provider.Timeout);

    /// <summary>Sends a request made afresh for each try, through the deployment's resilience pipeline.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMessageInvoker http, Func<HttpRequestMessage> createRequest, DeploymentPipeline deployment)
    {
        try
        {
            return await deployment.ExecuteAsync(static attempt =>
            {
                attempt.exchange.NewAttempt();
                return attempt.http.SendAsync(attempt.createRequest(), attempt.exchange.Token);
            }, (exchange: this, http, createRequest), _total.Token);
        }
        catch (Exception ex) when (ToGatewayError(ex) is { } error)
        {
            throw new GatewayException(error, ex);
        }
    }

    /// <summary>
    /// Sends as <see cref="SendAsync"/> does; an answer of 400 or more is read and thrown as the error
    /// <paramref name="mapError"/> makes of its status, body and <c>Retry-After</c>.
    /// </summary>
    public async Task<HttpResponseMessage> SendForSuccessAsync(
        HttpMessageInvoker http, Func<HttpRequestMessage> createRequest, DeploymentPipeline deployment,
        Func<int, byte[], string?, GatewayError> mapError)
    {
        var response = await SendAsync(http, createRequest, deployment);
        if ((int)response.StatusCode < 400)
        {
            return response;
        }
        using (response)
        {
            var body = await ReadBodyAsync(response);
            throw new GatewayException(mapError((int)response.StatusCode, body, response.Headers.RetryAfter?.ToString()));
        }
    }

    /// <summary>What the client is told when a stream fails after it started: a broken connection says so.</summary>
    public GatewayError StreamFailure(GatewayError error, Exception exception) =>
        error.Code == "upstream_unavailable"
            ? GatewayError.UpstreamUnavailable(_provider.Name, $"the stream broke off: {exception.Message}")
            : error;

    public async Task<byte[]> ReadBodyAsync(HttpResponseMessage response)
    {
        try
        {
            return await response.Content.ReadAsByteArrayAsync(Token);
        }
        catch (Exception ex) when (ToGatewayError(ex) is { } error)
        {
            throw new GatewayException(error, ex);
        }
    }

    /// <summary>What a failure during the exchange means for the client; <c>null</c> when it is the client's own cancellation or not an I/O failure.</summary>
    public GatewayError? ToGatewayError(Exception exception) => exception switch
    {
        _ when _clientToken.IsCancellationRequested => null,
        ClientClosedException => null,
        OperationCanceledException when _total.IsCancellationRequested => GatewayError.UpstreamTimeout(_provider.Name, TotalBudget) with
        {
            Message = $"The upstream provider '{_provider.Name}' did not finish within the {TotalBudget.TotalSeconds:0.###} s the call may take.",
        },
        OperationCanceledException when _idle?.IsCancellationRequested == true => GatewayError.UpstreamTimeout(_provider.Name, _provider.Timeout),
        HttpRequestException or IOException => GatewayError.UpstreamUnavailable(_provider.Name, exception.Message),
        _ => null,
    };

    public void Dispose()
    {
        _idle?.Dispose();
        _total.Dispose();
    }
}
