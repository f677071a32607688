namespace SfAi.Core.Usage.Ledger;

/// <summary>Adds rows up into groups, latency percentiles included (nearest rank), the same way for every store.</summary>
public sealed class UsageFigures
{
    private readonly Dictionary<string, Accumulator> _groups = new(StringComparer.Ordinal);

    public static string GroupOf(UsageRow row, UsageGroupBy groupBy) => groupBy switch
    {
        UsageGroupBy.Key => row.KeyName,
        UsageGroupBy.User => row.UserId ?? "(no user)",
        UsageGroupBy.Alias => row.Alias ?? "(no alias)",
        UsageGroupBy.Model => row.UpstreamModel ?? "(no model)",
        _ => row.Time.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
    };

    public void Add(string group, UsageRow row)
    {
        if (!_groups.TryGetValue(group, out var accumulator))
        {
            _groups[group] = accumulator = new Accumulator();
        }
        accumulator.Requests++;
        accumulator.Errors += row.ErrorType is null ? 0 : 1;
        accumulator.TokensIn += row.TokensIn;
        accumulator.TokensOut += row.TokensOut;
        accumulator.CachedTokensIn += row.CachedTokensIn;
        accumulator.CostUsd += row.CostUsd;
        accumulator.Latencies.Add(row.LatencyMs);
    }

    /// <summary>The groups, the most costly first (by name among equals; days in order).</summary>
    public IReadOnlyList<UsageGroup> Groups(UsageGroupBy groupBy)
    {
        var groups = _groups.Select(g => new UsageGroup(g.Key, g.Value.Requests, g.Value.Errors, g.Value.TokensIn, g.Value.TokensOut,
            g.Value.CachedTokensIn, g.Value.CostUsd, Percentile(g.Value.Latencies, 50), Percentile(g.Value.Latencies, 95)));
        return groupBy == UsageGroupBy.Day
            ? [.. groups.OrderBy(g => g.Group, StringComparer.Ordinal)]
            : [.. groups.OrderByDescending(g => g.CostUsd).ThenBy(g => g.Group, StringComparer.Ordinal)];
    }

    private static double Percentile(List<double> values, int percentile)
    {
        if (values.Count == 0)
        {
            return 0;
        }
        values.Sort();
        var rank = (int)Math.Ceiling(percentile / 100.0 * values.Count);
        return values[Math.Clamp(rank - 1, 0, values.Count - 1)];
    }

    private sealed class Accumulator
    {
        public long Requests;
        public long Errors;
        public long TokensIn;
        public long TokensOut;
        public long CachedTokensIn;
        public decimal CostUsd;
        public readonly List<double> Latencies = [];
    }
}
