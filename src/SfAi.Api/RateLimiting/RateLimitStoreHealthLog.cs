using SfAi.Api.Logging;
using SfAi.Core.RateLimiting;

namespace SfAi.Api.RateLimiting;

/// <summary>
/// Reports an unreachable rate-limit store without flooding the log: one <c>rate_limit_store_unavailable</c> warning
/// (and its EMF metric) per interval, counting the calls that could not use the store since the last one, and one
/// <c>rate_limit_store_recovered</c> when it answers again.
/// </summary>
internal sealed class RateLimitStoreHealthLog : IRateLimitStoreMonitor
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMinutes(1);
    private readonly GatewayEventLog _log;
    private readonly TimeProvider _time;
    private readonly TimeSpan _interval;
    private long _missedSinceLine;
    private long _nextLineTicks;

    public RateLimitStoreHealthLog(GatewayEventLog log, TimeProvider time, TimeSpan interval)
    {
        _log = log;
        _time = time;
        _interval = interval;
    }

    public void Unavailable(string reason, RateLimitStoreFailure onFailure)
    {
        Interlocked.Increment(ref _missedSinceLine);
        var now = _time.GetUtcNow().UtcTicks;
        var due = Volatile.Read(ref _nextLineTicks);
        if (now >= due && Interlocked.CompareExchange(ref _nextLineTicks, now + _interval.Ticks, due) == due)
        {
            _log.RateLimitStoreUnavailable(reason, onFailure, Interlocked.Exchange(ref _missedSinceLine, 0));
        }
    }

    public void Recovered()
    {
        Volatile.Write(ref _nextLineTicks, 0);
        _log.RateLimitStoreRecovered(Interlocked.Exchange(ref _missedSinceLine, 0));
    }
}
