namespace SfAi.Core.RateLimiting;

/// <summary>
/// Counters per fixed time window, shared by every instance that uses the same store: in memory for one process,
/// DynamoDB across Lambda instances. Additions are atomic, so a limit holds exactly under concurrency.
/// </summary>
public interface IRateLimitStore
{
    /// <summary>Adds <paramref name="amount"/> to the counter unless that would take it over <paramref name="limit"/>.</summary>
    /// <returns>Whether it was added, and the counter's value after the call (as far as the store tells).</returns>
    ValueTask<CounterResult> TryAddAsync(string counter, long amount, long limit, RateWindow window, CancellationToken cancellationToken);

    /// <summary>Adds <paramref name="delta"/> (possibly negative) whatever the limit: a refund, or a correction by the real usage.</summary>
    ValueTask AdjustAsync(string counter, long delta, RateWindow window, CancellationToken cancellationToken);

    /// <summary>The counter's value in <paramref name="window"/> (0 when never counted); null when the store cannot tell.</summary>
    ValueTask<long?> ReadAsync(string counter, RateWindow window, CancellationToken cancellationToken);
}

/// <param name="Added">Whether the amount fitted under the limit.</param>
/// <param name="Count">The counter's value after the call; when not added, the value that refused it, where known.</param>
public readonly record struct CounterResult(bool Added, long Count)
{
    /// <summary>Let through without being counted: the store could not be asked.</summary>
    public static CounterResult Uncounted => new(true, -1);

    public bool Counted => Count >= 0;
}
