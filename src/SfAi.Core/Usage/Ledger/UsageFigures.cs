namespace SfAi.Core.Usage.Ledger;

/// <summary>
/// Adds requests up into the groups of one query, the same way for every store: single rows (latency percentiles by
/// nearest rank, exact) or a store's sums (percentiles from their histograms). Days also split their cost by alias.
/// </summary>
public sealed class UsageFigures(UsageGroupBy groupBy)
{
    public const string NoUser = "(no user)";
    public const string NoAlias = "(no alias)";
    public const string NoModel = "(no model)";

    private readonly Dictionary<string, Accumulator> _groups = new(StringComparer.Ordinal);

    public static string Day(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    public static string GroupOf(UsageRow row, UsageGroupBy groupBy) => groupBy switch
    {
        UsageGroupBy.Key => row.KeyName,
        UsageGroupBy.User => row.UserId ?? NoUser,
        UsageGroupBy.Alias => row.Alias ?? NoAlias,
        UsageGroupBy.Model => row.UpstreamModel ?? NoModel,
        _ => Day(row.Time),
    };

    public void Add(UsageRow row)
    {
        var accumulator = Group(GroupOf(row, groupBy));
        accumulator.Sums.Add(row);
        accumulator.Latencies.Add(row.LatencyMs);
        if (groupBy == UsageGroupBy.Day)
        {
            AddAliasCost(accumulator, row.Alias ?? NoAlias, row.CostUsd);
        }
    }

    /// <summary>A store's sums for <paramref name="group"/>; their latencies are known only as a histogram.</summary>
    public void Add(string group, UsageAggregate sums)
    {
        var accumulator = Group(group);
        accumulator.Sums.Add(sums);
        accumulator.FromHistogram = true;
    }

    /// <summary>A day's cost for one alias, from a store that keeps it apart (rows bring their own).</summary>
    public void AddAliasCost(string day, string alias, decimal costUsd) => AddAliasCost(Group(day), alias, costUsd);

    /// <summary>The groups, the most costly first (by name among equals; days in order).</summary>
    public IReadOnlyList<UsageGroup> Groups()
    {
        var groups = _groups.Select(g => new UsageGroup(g.Key, g.Value.Sums.Requests, g.Value.Sums.Errors, g.Value.Sums.TokensIn,
            g.Value.Sums.TokensOut, g.Value.Sums.CachedTokensIn, g.Value.Sums.CacheWriteTokensIn, g.Value.Sums.CostUsd,
            g.Value.Percentile(50), g.Value.Percentile(95), groupBy == UsageGroupBy.Day ? Spent(g.Value.CostByAlias) : null));
        return groupBy == UsageGroupBy.Day
            ? [.. groups.OrderBy(g => g.Group, StringComparer.Ordinal)]
            : [.. groups.OrderByDescending(g => g.CostUsd).ThenBy(g => g.Group, StringComparer.Ordinal)];
    }

    /// <summary>The aliases that cost something: a free alias (echo, unpriced models) has no share of a day's cost.</summary>
    private static SortedDictionary<string, decimal> Spent(SortedDictionary<string, decimal> costByAlias) =>
        new(costByAlias.Where(a => a.Value != 0).ToDictionary(), StringComparer.Ordinal);

    private Accumulator Group(string group)
    {
        if (!_groups.TryGetValue(group, out var accumulator))
        {
            _groups[group] = accumulator = new Accumulator();
        }
        return accumulator;
    }

    private static void AddAliasCost(Accumulator accumulator, string alias, decimal costUsd) =>
        accumulator.CostByAlias[alias] = accumulator.CostByAlias.GetValueOrDefault(alias) + costUsd;

    private sealed class Accumulator
    {
        public readonly UsageAggregate Sums = new();
        public readonly List<double> Latencies = [];
        public readonly SortedDictionary<string, decimal> CostByAlias = new(StringComparer.Ordinal);
        public bool FromHistogram;

        public double Percentile(int percentile)
        {
            if (FromHistogram || Latencies.Count == 0)
            {
                return Sums.Latency.Percentile(percentile);
            }
            Latencies.Sort();
            var rank = (int)Math.Ceiling(percentile / 100.0 * Latencies.Count);
            return Latencies[Math.Clamp(rank - 1, 0, Latencies.Count - 1)];
        }
    }
}
