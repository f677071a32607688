namespace SfAi.Core.Usage.Ledger;

/// <summary>
/// The sums of some requests, as a store that keeps no single rows holds them (one per day and key, user, alias or
/// model): counts, tokens, cost and the latencies' histogram.
/// </summary>
public sealed class UsageAggregate
{
    public long Requests { get; set; }
    public long Errors { get; set; }
    public long TokensIn { get; set; }
    public long TokensOut { get; set; }
    public long CachedTokensIn { get; set; }
    public long CacheWriteTokensIn { get; set; }
    public decimal CostUsd { get; set; }
    public LatencyHistogram Latency { get; } = new();

    public void Add(UsageRow row)
    {
        Requests++;
        Errors += row.IsError ? 1 : 0;
        TokensIn += row.TokensIn;
        TokensOut += row.TokensOut;
        CachedTokensIn += row.CachedTokensIn;
        CacheWriteTokensIn += row.CacheWriteTokensIn;
        CostUsd += row.CostUsd;
        Latency.Add(row.LatencyMs);
    }

    public void Add(UsageAggregate other)
    {
        Requests += other.Requests;
        Errors += other.Errors;
        TokensIn += other.TokensIn;
        TokensOut += other.TokensOut;
        CachedTokensIn += other.CachedTokensIn;
        CacheWriteTokensIn += other.CacheWriteTokensIn;
        CostUsd += other.CostUsd;
        foreach (var (bucket, count) in other.Latency.Counts)
        {
            Latency.Add(bucket, count);
        }
    }

    /// <summary>
    /// What <paramref name="whole"/> holds beyond <paramref name="parts"/>: the requests of a day that no item of a
    /// dimension counts (those without a user, say); null when there are none.
    /// </summary>
    public static UsageAggregate? Remainder(UsageAggregate whole, IEnumerable<UsageAggregate> parts)
    {
        var rest = new UsageAggregate();
        rest.Add(whole);
        foreach (var part in parts)
        {
            rest.Requests -= part.Requests;
            rest.Errors -= part.Errors;
            rest.TokensIn -= part.TokensIn;
            rest.TokensOut -= part.TokensOut;
            rest.CachedTokensIn -= part.CachedTokensIn;
            rest.CacheWriteTokensIn -= part.CacheWriteTokensIn;
            rest.CostUsd -= part.CostUsd;
            foreach (var (bucket, count) in part.Latency.Counts)
            {
                rest.Latency.Remove(bucket, count);
            }
        }
        return rest.Requests > 0 ? rest : null;
    }
}
