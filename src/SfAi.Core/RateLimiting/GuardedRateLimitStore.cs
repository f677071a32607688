using System.Globalization;
using SfAi.Core.Errors;

namespace SfAi.Core.RateLimiting;

/// <summary>
/// Bounds every call to a remote counter store and decides what a request meets when the store cannot answer:
/// served uncounted (<see cref="RateLimitStoreFailure.Open"/>) or refused with 503 (<see cref="RateLimitStoreFailure.Closed"/>).
/// After a failure, additions skip the store for a while, so an outage does not add the timeout to every request;
/// corrections (<see cref="AdjustAsync"/>) never fail a request.
/// </summary>
public sealed class GuardedRateLimitStore : IRateLimitStore
{
    private readonly IRateLimitStore _inner;
    private readonly RateLimitStoreGuardOptions _options;
    private readonly TimeProvider _time;
    private readonly IRateLimitStoreMonitor _monitor;
    private long _restUntilTicks;
    private int _unavailable;

    public GuardedRateLimitStore(IRateLimitStore inner, RateLimitStoreGuardOptions options, TimeProvider time, IRateLimitStoreMonitor monitor)
    {
        _inner = inner;
        _options = options;
        _time = time;
        _monitor = monitor;
    }

    /// <exception cref="GatewayException">503 <c>rate_limit_store_unavailable</c>, when closed and the store cannot answer.</exception>
    public async ValueTask<CounterResult> TryAddAsync(string counter, long amount, long limit, RateWindow window, CancellationToken cancellationToken)
    {
        if (Resting())
        {
            return Unavailable("the store failed moments ago; its calls rest until it is tried again");
        }
        try
        {
            using var timeout = new CancellationTokenSource(_options.Timeout, _time);
            using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            var result = await _inner.TryAddAsync(counter, amount, limit, window, bound.Token);
            Answered();
            return result;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not GatewayException)
        {
            return Unavailable(Describe(ex));
        }
    }

    /// <summary>Tried even while the store rests (a correction is rare and off the hot path); a failure is reported, never thrown.</summary>
    public async ValueTask AdjustAsync(string counter, long delta, RateWindow window, CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = new CancellationTokenSource(_options.Timeout, _time);
            using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            await _inner.AdjustAsync(counter, delta, window, bound.Token);
            Answered();
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            StartRest();
            _monitor.Unavailable(Describe(ex), _options.OnFailure);
        }
    }

    /// <summary>Null while the store rests or cannot answer (reported); a read never fails a request.</summary>
    public async ValueTask<long?> ReadAsync(string counter, RateWindow window, CancellationToken cancellationToken)
    {
        if (Resting())
        {
            return null;
        }
        try
        {
            using var timeout = new CancellationTokenSource(_options.Timeout, _time);
            using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            var value = await _inner.ReadAsync(counter, window, bound.Token);
            Answered();
            return value;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            StartRest();
            _monitor.Unavailable(Describe(ex), _options.OnFailure);
            return null;
        }
    }

    private bool Resting() => Volatile.Read(ref _restUntilTicks) > _time.GetUtcNow().UtcTicks;

    private void StartRest()
    {
        Volatile.Write(ref _restUntilTicks, (_time.GetUtcNow() + _options.Rest).UtcTicks);
        Volatile.Write(ref _unavailable, 1);
    }

    private void Answered()
    {
        if (Interlocked.Exchange(ref _unavailable, 0) == 1)
        {
            _monitor.Recovered();
        }
    }

    private CounterResult Unavailable(string reason)
    {
        if (!Resting())
        {
            StartRest();
        }
        _monitor.Unavailable(reason, _options.OnFailure);
        return _options.OnFailure == RateLimitStoreFailure.Open
            ? CounterResult.Uncounted
            : throw new GatewayException(GatewayError.RateLimitStoreUnavailable(_options.Rest));
    }

    private string Describe(Exception ex) => ex is OperationCanceledException
        ? string.Create(CultureInfo.InvariantCulture, $"no answer within {_options.Timeout.TotalMilliseconds:0} ms")
        : $"{ex.GetType().Name}: {ex.Message}";
}
