namespace SfAi.Core.Usage.Ledger;

/// <summary>
/// Latencies counted in buckets that grow by 10% (bucket <c>i</c> holds (1.1^(i-1), 1.1^i] ms; bucket 0 up to 1 ms),
/// so a store that can only add numbers (DynamoDB's <c>ADD</c>) still gives percentiles: within 10% of the true value,
/// and mergeable across instances and days.
/// </summary>
public sealed class LatencyHistogram
{
    private const double Growth = 1.1;
    private static readonly double LogGrowth = Math.Log(Growth);

    /// <summary>The last bucket: about 40 minutes; anything slower is counted there.</summary>
    public const int MaxBucket = 160;

    private readonly SortedDictionary<int, long> _counts = [];

    public IReadOnlyDictionary<int, long> Counts => _counts;

    public long Total { get; private set; }

    public static int BucketOf(double milliseconds) =>
        milliseconds <= 1 ? 0 : Math.Min(MaxBucket, (int)Math.Ceiling(Math.Log(milliseconds) / LogGrowth - 1e-9));

    /// <summary>The bucket's upper bound, in milliseconds, rounded to 0.1 ms.</summary>
    public static double UpperBound(int bucket) => Math.Round(Math.Pow(Growth, bucket), 1);

    public void Add(double milliseconds) => Add(BucketOf(milliseconds), 1);

    public void Add(int bucket, long count)
    {
        if (count <= 0 || bucket < 0 || bucket > MaxBucket)
        {
            return;
        }
        _counts[bucket] = _counts.GetValueOrDefault(bucket) + count;
        Total += count;
    }

    /// <summary>Takes back what <see cref="Add(int, long)"/> counted (down to none).</summary>
    public void Remove(int bucket, long count)
    {
        if (count <= 0 || !_counts.TryGetValue(bucket, out var held))
        {
            return;
        }
        var removed = Math.Min(held, count);
        if (held == removed)
        {
            _counts.Remove(bucket);
        }
        else
        {
            _counts[bucket] = held - removed;
        }
        Total -= removed;
    }

    /// <summary>The upper bound of the bucket that holds the nearest-rank percentile; 0 when empty.</summary>
    public double Percentile(int percentile)
    {
        if (Total == 0)
        {
            return 0;
        }
        var rank = Math.Max(1, (long)Math.Ceiling(percentile / 100.0 * Total));
        var seen = 0L;
        foreach (var (bucket, count) in _counts)
        {
            seen += count;
            if (seen >= rank)
            {
                return UpperBound(bucket);
            }
        }
        return UpperBound(_counts.Keys.Last());
    }
}
