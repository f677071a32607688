using System.Buffers;
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
/// Both limits share one cancellation source and one timer, armed for whichever limit comes first and re-armed with
/// every sign of life: two linked sources with a timer each cost a pass-through request measurably more.
/// </summary>
public sealed class UpstreamExchange : IDisposable, IUpstreamCall
{
    /// <summary>Time kept back before an invocation's deadline, so the gateway can still answer the client.</summary>
    public static readonly TimeSpan DeadlineMargin = TimeSpan.FromMilliseconds(500);

    private readonly ProviderDefinition _provider;
    private readonly CancellationToken _clientToken;
    private readonly CancellationTokenSource _cancel;
    private bool _trying;
    private volatile bool _totalArmed;

    public UpstreamExchange(ProviderDefinition provider, DateTimeOffset? deadline, TimeProvider time, CancellationToken clientToken)
    {
        _provider = provider;
        _clientToken = clientToken;
        StartTimestamp = Stopwatch.GetTimestamp();
        TotalBudget = deadline is { } end && end - DeadlineMargin - time.GetUtcNow() < provider.TotalTimeout
            ? TimeSpan.FromTicks(Math.Max(1, (end - DeadlineMargin - time.GetUtcNow()).Ticks))
            : provider.TotalTimeout;
        // The timer is first armed by the first try (NewAttempt): nothing waits on the token before it.
        _cancel = CancellationTokenSource.CreateLinkedTokenSource(clientToken);
    }

    /// <summary>A <see cref="Stopwatch"/> timestamp of the call's start, for the time to its first event.</summary>
    public long StartTimestamp { get; }

    public string ProviderName => _provider.Name;

    /// <summary>How long the whole call may take: the total timeout, cut to the deadline.</summary>
    public TimeSpan TotalBudget { get; }

    /// <summary>Cancelled by the client or by a timeout (before the first try and between tries, only by the client or the total timeout).</summary>
    public CancellationToken Token => _cancel.Token;

    /// <summary>Whether the whole call is over: the client left or its total time is used up (a try that timed out is not).</summary>
    public bool Ended => _clientToken.IsCancellationRequested || _cancel.IsCancellationRequested && _totalArmed;

    /// <summary>Starts the wait for the first byte of a new try afresh.</summary>
    private void NewAttempt()
    {
        _trying = true;
        Arm(idle: true);
    }

    /// <summary>Between tries only the total timeout runs: the backoff before the next try does not count as silence.</summary>
    public void WaitingToRetry()
    {
        _trying = false;
        Arm(idle: false);
    }

    /// <summary>Restarts the wait for the next sign of life.</summary>
    public void Alive()
    {
        if (_trying)
        {
            Arm(idle: true);
        }
    }

    /// <summary>Sets the one timer to the nearer of the idle wait (when asked for) and what is left of the total.</summary>
    private void Arm(bool idle)
    {
        if (_cancel.IsCancellationRequested)
        {
            return;
        }
        var left = TotalBudget - Stopwatch.GetElapsedTime(StartTimestamp);
        var total = !idle || left <= _provider.Timeout;
        _totalArmed = total;
        _cancel.CancelAfter(total ? (left > TimeSpan.Zero ? left : TimeSpan.Zero) : _provider.Timeout);
    }

    private static readonly Func<(UpstreamExchange Exchange, HttpMessageInvoker Http, Func<HttpRequestMessage> CreateRequest), Task<HttpResponseMessage>> Attempt =
        static attempt =>
        {
            attempt.Exchange.NewAttempt();
            return attempt.Http.SendAsync(attempt.CreateRequest(), attempt.Exchange.Token);
        };

    /// <summary>
    /// Sends a request made afresh for each try, through the deployment's resilience pipeline, and returns a successful
    /// answer; an answer of 400 or more is read and thrown as the error <paramref name="mapError"/> makes of its status,
    /// body and <c>Retry-After</c>.
    /// </summary>
    public async Task<HttpResponseMessage> SendForSuccessAsync(
        HttpMessageInvoker http, Func<HttpRequestMessage> createRequest, DeploymentPipeline deployment,
        Func<int, byte[], string?, GatewayError> mapError)
    {
        HttpResponseMessage response;
        try
        {
            response = await deployment.ExecuteAsync(Attempt, (this, http, createRequest), this);
        }
        catch (Exception ex) when (ToGatewayError(ex) is { } error)
        {
            throw new GatewayException(error, ex);
        }
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

    /// <summary>The largest announced length allocated up front; a longer body is buffered as it arrives.</summary>
    private const int ExactReadLimit = 1024 * 1024;

    /// <summary>
    /// The whole body; one of announced length up to <see cref="ExactReadLimit"/> is read straight into an array of
    /// that length (rather than buffered and copied), and one that ends short of it is a broken body.
    /// </summary>
    public async Task<byte[]> ReadBodyAsync(HttpResponseMessage response) => (await ReadAsync(response, pooled: false)).Array;

    /// <summary>
    /// As <see cref="ReadBodyAsync"/>, into an array from the shared pool when the length is announced: for a body
    /// that is only relayed and inspected, given back (<see cref="PooledBody.Dispose"/>) once written.
    /// </summary>
    public Task<PooledBody> ReadPooledBodyAsync(HttpResponseMessage response) => ReadAsync(response, pooled: true);

    private async Task<PooledBody> ReadAsync(HttpResponseMessage response, bool pooled)
    {
        try
        {
            if (response.Content.Headers.ContentLength is not { } announced || announced > ExactReadLimit)
            {
                var whole = await response.Content.ReadAsByteArrayAsync(Token);
                return new PooledBody(whole, whole.Length, pooled: false);
            }
            var length = (int)announced;
            var buffer = pooled ? ArrayPool<byte>.Shared.Rent(length) : new byte[length];
            try
            {
                await using var stream = await response.Content.ReadAsStreamAsync(Token);
                await stream.ReadExactlyAsync(buffer.AsMemory(0, length), Token);
                return new PooledBody(buffer, length, pooled);
            }
            catch when (pooled)
            {
                ArrayPool<byte>.Shared.Return(buffer);
                throw;
            }
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
        OperationCanceledException when _cancel.IsCancellationRequested && _totalArmed => GatewayError.UpstreamTimeout(_provider.Name, TotalBudget) with
        {
            Message = $"The upstream provider '{_provider.Name}' did not finish within the {TotalBudget.TotalSeconds:0.###} s the call may take.",
        },
        OperationCanceledException when _cancel.IsCancellationRequested => GatewayError.UpstreamTimeout(_provider.Name, _provider.Timeout),
        HttpRequestException or IOException => GatewayError.UpstreamUnavailable(_provider.Name, exception.Message),
        _ => null,
    };

    public void Dispose() => _cancel.Dispose();
}
