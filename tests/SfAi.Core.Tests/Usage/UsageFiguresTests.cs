using SfAi.Core.Usage.Ledger;

namespace SfAi.Core.Tests.Usage;

public sealed class UsageFiguresTests
{
    private static readonly DateTimeOffset Monday = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);

    private static UsageRow Row(string alias, decimal cost, double latency, DateTimeOffset? time = null, string? error = null, string? user = null) => new(
        time ?? Monday, "req", "alice", user, alias, alias, "openai", "gpt-4o-mini", error is null ? 200 : 502, error,
        100, 10, 40, cost, CostKnown: true, TokensEstimated: false, latency, CacheWriteTokensIn: 5);

    [Fact]
    public void Days_add_their_rows_up_and_split_their_cost_by_alias()
    {
        var figures = new UsageFigures(UsageGroupBy.Day);
        figures.Add(Row("fast", 0.25m, 10));
        figures.Add(Row("smart", 1.5m, 20));
        figures.Add(Row("smart", 0.5m, 30, Monday.AddDays(1)));
        figures.Add(Row("fast", 0m, 40, error: "upstream_error"));

        var days = figures.Groups();

        Assert.Equal(["2026-12-07", "2026-12-08"], days.Select(d => d.Group));
        var monday = days[0];
        Assert.Equal((3L, 1L, 300L, 30L, 120L, 15L, 1.75m), (monday.Requests, monday.Errors, monday.TokensIn, monday.TokensOut, monday.CachedTokensIn, monday.CacheWriteTokensIn, monday.CostUsd));
        Assert.Equal(new Dictionary<string, decimal> { ["fast"] = 0.25m, ["smart"] = 1.5m }, monday.CostByAlias);
        Assert.Equal((20.0, 40.0), (monday.LatencyP50Ms, monday.LatencyP95Ms));
    }

    [Fact]
    public void Other_groupings_come_most_costly_first_without_a_split_by_alias()
    {
        var figures = new UsageFigures(UsageGroupBy.Alias);
        figures.Add(Row("fast", 0.25m, 10));
        figures.Add(Row("smart", 1.5m, 20));

        var aliases = figures.Groups();

        Assert.Equal(["smart", "fast"], aliases.Select(a => a.Group));
        Assert.All(aliases, a => Assert.Null(a.CostByAlias));
    }

    [Fact]
    public void A_stores_sums_give_percentiles_from_their_histograms_and_a_remainder_for_the_rows_no_item_counts()
    {
        var total = new UsageAggregate();
        var ada = new UsageAggregate();
        foreach (var row in new[] { Row("fast", 1m, 100, user: "ada"), Row("fast", 2m, 200, user: "ada"), Row("fast", 4m, 1000) })
        {
            total.Add(row);
            if (row.UserId is not null)
            {
                ada.Add(row);
            }
        }
        var figures = new UsageFigures(UsageGroupBy.User);

        figures.Add("ada", ada);
        figures.Add(UsageFigures.NoUser, UsageAggregate.Remainder(total, [ada])!);
        var users = figures.Groups();

        Assert.Equal([(UsageFigures.NoUser, 1L, 4m), ("ada", 2L, 3m)], users.Select(u => (u.Group, u.Requests, u.CostUsd)));
        Assert.Equal(LatencyHistogram.UpperBound(LatencyHistogram.BucketOf(1000)), users[0].LatencyP50Ms);
        Assert.InRange(users[1].LatencyP95Ms, 200, 220);
        Assert.Null(UsageAggregate.Remainder(ada, [ada]));
    }
}
