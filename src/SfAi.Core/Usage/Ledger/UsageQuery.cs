namespace SfAi.Core.Usage.Ledger;

/// <summary>What the usage figures are grouped by.</summary>
public enum UsageGroupBy
{
    Key,
    User,
    Alias,
    Model,
    Day,
}

/// <summary>The requests of <c>[From, To)</c> (UTC), grouped.</summary>
public sealed record UsageQuery(DateTimeOffset From, DateTimeOffset To, UsageGroupBy GroupBy)
{
    public static bool TryParseGroupBy(string? text, out UsageGroupBy groupBy)
    {
        (var known, groupBy) = text?.ToLowerInvariant() switch
        {
            null or "" or "key" => (true, UsageGroupBy.Key),
            "user" => (true, UsageGroupBy.User),
            "alias" => (true, UsageGroupBy.Alias),
            "model" => (true, UsageGroupBy.Model),
            "day" => (true, UsageGroupBy.Day),
            _ => (false, UsageGroupBy.Key),
        };
        return known;
    }
}

/// <summary>
/// The figures of one group: what it asked, spent and waited; for a day also its cost per alias that cost something
/// (the usage page's stacked chart), null for other groupings.
/// </summary>
public sealed record UsageGroup(
    string Group,
    long Requests,
    long Errors,
    long TokensIn,
    long TokensOut,
    long CachedTokensIn,
    long CacheWriteTokensIn,
    decimal CostUsd,
    double LatencyP50Ms,
    double LatencyP95Ms,
    IReadOnlyDictionary<string, decimal>? CostByAlias = null);
