using System.Collections.Concurrent;

namespace SfAi.Core.RateLimiting;

/// <summary>Counters in this process only: exact under concurrency, forgotten when their window is over.</summary>
public sealed class InMemoryRateLimitStore : IRateLimitStore
{
    private readonly ConcurrentDictionary<(string Counter, long Window), Counter> _counters = new();
    private readonly TimeProvider _time;

    public InMemoryRateLimitStore(TimeProvider time) => _time = time;

    public ValueTask<CounterResult> TryAddAsync(string counter, long amount, long limit, RateWindow window, CancellationToken cancellationToken)
    {
        Prune();
        var entry = _counters.GetOrAdd((counter, window.Key), _ => new Counter(window.End));
        lock (entry)
        {
            if (entry.Value + amount > limit)
            {
                return ValueTask.FromResult(new CounterResult(false, entry.Value));
            }
            entry.Value += amount;
            return ValueTask.FromResult(new CounterResult(true, entry.Value));
        }
    }

    public ValueTask AdjustAsync(string counter, long delta, RateWindow window, CancellationToken cancellationToken)
    {
        var entry = _counters.GetOrAdd((counter, window.Key), _ => new Counter(window.End));
        lock (entry)
        {
            entry.Value += delta;
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask<long?> ReadAsync(string counter, RateWindow window, CancellationToken cancellationToken)
    {
        if (!_counters.TryGetValue((counter, window.Key), out var entry))
        {
            return ValueTask.FromResult<long?>(0);
        }
        lock (entry)
        {
            return ValueTask.FromResult<long?>(entry.Value);
        }
    }

    private void Prune()
    {
        var now = _time.GetUtcNow();
        foreach (var (key, counter) in _counters)
        {
            if (counter.Expires < now)
            {
                _counters.TryRemove(key, out _);
            }
        }
    }

    private sealed class Counter(DateTimeOffset expires)
    {
        public DateTimeOffset Expires { get; } = expires;

        public long Value { get; set; }
    }
}
