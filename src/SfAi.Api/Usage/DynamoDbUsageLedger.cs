using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using SfAi.Core.Errors;
using SfAi.Core.Usage.Ledger;

namespace SfAi.Api.Usage;

/// <summary>
/// The usage ledger in DynamoDB (<c>USAGE_STORE=dynamodb</c>, table <c>USAGE_TABLE</c>), shared by every instance:
/// no single rows, but one item per UTC day (<c>pk</c> = <c>day#2026-12-05</c>) and key, user, alias and model
/// (<c>sk</c> = <c>key#…</c>, <c>user#…</c>, <c>alias#…</c>, <c>model#…</c>) plus the day's <c>total</c>, whose
/// counters each batch raises with one atomic <c>ADD</c> per item. Latencies are kept as a histogram
/// (<see cref="LatencyHistogram"/>, attributes <c>lat&lt;bucket&gt;</c>), so percentiles hold within 10%.
/// Items expire through the table's TTL (<c>expiresAt</c>) after <see cref="Retention"/>.
/// </summary>
internal sealed class DynamoDbUsageLedger : QueuedUsageLedger
{
    public static readonly TimeSpan Retention = TimeSpan.FromDays(400);

    /// <summary>The longest period one query reads (one DynamoDB query per day).</summary>
    public const int MaxQueryDays = 366;

    private const string Total = "total";
    private const string LatencyPrefix = "lat";
    private const int Parallelism = 8;

    private static readonly (string Attribute, Func<UsageAggregate, decimal> Value)[] Counters =
    [
        ("requests", a => a.Requests),
        ("errors", a => a.Errors),
        ("tokensIn", a => a.TokensIn),
        ("tokensOut", a => a.TokensOut),
        ("cachedTokensIn", a => a.CachedTokensIn),
        ("cacheWriteTokensIn", a => a.CacheWriteTokensIn),
        ("costUsd", a => a.CostUsd),
    ];

    private readonly IAmazonDynamoDB _dynamo;
    private readonly string _table;

    public DynamoDbUsageLedger(IAmazonDynamoDB dynamo, string table, Action<string, long> reportFailure, TimeProvider time)
        : base(reportFailure, time)
    {
        _dynamo = dynamo;
        _table = table;
        StartWriting();
    }

    protected override bool IsStoreFailure(Exception exception) => exception is AmazonDynamoDBException or Amazon.Runtime.AmazonClientException
        or HttpRequestException or TaskCanceledException or TimeoutException or IOException;

    protected override async Task WriteAsync(IReadOnlyList<UsageRow> batch)
    {
        var items = new Dictionary<(string Day, string Sort), UsageAggregate>();
        foreach (var row in batch)
        {
            var day = UsageFigures.Day(row.Time);
            foreach (var sort in SortKeys(row))
            {
                if (!items.TryGetValue((day, sort), out var sums))
                {
                    items[(day, sort)] = sums = new UsageAggregate();
                }
                sums.Add(row);
            }
        }
        await Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = Parallelism },
            async (item, cancellationToken) => await _dynamo.UpdateItemAsync(Update(item.Key.Day, item.Key.Sort, item.Value), cancellationToken));
    }

    private static IEnumerable<string> SortKeys(UsageRow row)
    {
        yield return Total;
        yield return "key#" + row.KeyName;
        if (row.UserId is { } user)
        {
            yield return "user#" + user;
        }
        if (row.Alias is { } alias)
        {
            yield return "alias#" + alias;
        }
        if (row.UpstreamModel is { } model)
        {
            yield return "model#" + model;
        }
    }

    private UpdateItemRequest Update(string day, string sort, UsageAggregate sums)
    {
        var names = new Dictionary<string, string> { ["#expires"] = "expiresAt" };
        var values = new Dictionary<string, AttributeValue>
        {
            [":expires"] = Number((DateTimeOffset.ParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal) + Retention).ToUnixTimeSeconds()),
        };
        var adds = new List<string>();
        void Add(string attribute, decimal amount)
        {
            var index = adds.Count;
            names[$"#a{index}"] = attribute;
            values[$":a{index}"] = Number(amount);
            adds.Add($"#a{index} :a{index}");
        }
        foreach (var (attribute, value) in Counters)
        {
            if (value(sums) != 0 || attribute == "requests")
            {
                Add(attribute, value(sums));
            }
        }
        foreach (var (bucket, count) in sums.Latency.Counts)
        {
            Add(LatencyPrefix + bucket.ToString(CultureInfo.InvariantCulture), count);
        }
        return new UpdateItemRequest
        {
            TableName = _table,
            Key = Key(day, sort),
            UpdateExpression = $"ADD {string.Join(", ", adds)} SET #expires = if_not_exists(#expires, :expires)",
            ExpressionAttributeNames = names,
            ExpressionAttributeValues = values,
        };
    }

    public override async Task<IReadOnlyList<UsageGroup>> QueryAsync(UsageQuery query, CancellationToken cancellationToken)
    {
        var days = (int)Math.Ceiling((query.To - query.From).TotalDays);
        if (days > MaxQueryDays)
        {
            throw new GatewayException(GatewayError.BadRequest(
                $"The usage store answers for at most {MaxQueryDays} days at once; asked for {days}.", "from"));
        }
        await FlushAsync(cancellationToken);
        var prefix = query.GroupBy switch
        {
            UsageGroupBy.Key => "key#",
            UsageGroupBy.User => "user#",
            UsageGroupBy.Model => "model#",
            _ => "alias#",
        };
        var figures = new UsageFigures(query.GroupBy);
        var perDay = new (string Day, UsageAggregate? Total, List<(string Name, UsageAggregate Sums)> Items)[days];
        try
        {
            await Parallel.ForAsync(0, days, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
                async (index, token) =>
                {
                    var day = UsageFigures.Day(query.From.AddDays(index));
                    var total = (await ReadAsync(day, Total, exact: true, token)).FirstOrDefault().Sums;
                    perDay[index] = (day, total, total is null ? [] : await ReadAsync(day, prefix, exact: false, token));
                });
        }
        catch (Exception ex) when (IsStoreFailure(ex) && !cancellationToken.IsCancellationRequested)
        {
            throw new GatewayException(new GatewayError(503, "service_unavailable", "usage_store_unavailable", null,
                $"The usage ledger cannot be read: {ex.Message}", ErrorKinds.Internal));
        }
        foreach (var (day, total, items) in perDay)
        {
            if (total is null)
            {
                continue;
            }
            if (query.GroupBy == UsageGroupBy.Day)
            {
                figures.Add(day, total);
                foreach (var (alias, sums) in items)
                {
                    figures.AddAliasCost(day, alias, sums.CostUsd);
                }
                if (UsageAggregate.Remainder(total, items.Select(i => i.Sums)) is { CostUsd: not 0 } noAlias)
                {
                    figures.AddAliasCost(day, UsageFigures.NoAlias, noAlias.CostUsd);
                }
                continue;
            }
            foreach (var (name, sums) in items)
            {
                figures.Add(name, sums);
            }
            if (UsageAggregate.Remainder(total, items.Select(i => i.Sums)) is { } rest)
            {
                figures.Add(query.GroupBy switch
                {
                    UsageGroupBy.User => UsageFigures.NoUser,
                    UsageGroupBy.Model => UsageFigures.NoModel,
                    _ => UsageFigures.NoAlias,
                }, rest);
            }
        }
        return figures.Groups();
    }

    /// <summary>The day's items whose sort key is <paramref name="sort"/> (or starts with it), named without the prefix.</summary>
    private async Task<List<(string Name, UsageAggregate Sums)>> ReadAsync(string day, string sort, bool exact, CancellationToken cancellationToken)
    {
        var found = new List<(string, UsageAggregate)>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var response = await _dynamo.QueryAsync(new QueryRequest
            {
                TableName = _table,
                KeyConditionExpression = exact ? "pk = :pk AND sk = :sk" : "pk = :pk AND begins_with(sk, :sk)",
                ExpressionAttributeValues = new Dictionary<string, AttributeValue>
                {
                    [":pk"] = new() { S = "day#" + day },
                    [":sk"] = new() { S = sort },
                },
                ExclusiveStartKey = start,
            }, cancellationToken);
            foreach (var item in response.Items)
            {
                found.Add((exact ? sort : item["sk"].S[sort.Length..], Sums(item)));
            }
            start = response.LastEvaluatedKey is { Count: > 0 } next ? next : null;
        }
        while (start is not null);
        return found;
    }

    private static UsageAggregate Sums(Dictionary<string, AttributeValue> item)
    {
        long Count(string name) => item.TryGetValue(name, out var value) && value.N is { } n ? long.Parse(n, CultureInfo.InvariantCulture) : 0;
        var sums = new UsageAggregate
        {
            Requests = Count("requests"),
            Errors = Count("errors"),
            TokensIn = Count("tokensIn"),
            TokensOut = Count("tokensOut"),
            CachedTokensIn = Count("cachedTokensIn"),
            CacheWriteTokensIn = Count("cacheWriteTokensIn"),
            CostUsd = item.TryGetValue("costUsd", out var cost) && cost.N is { } n ? decimal.Parse(n, NumberStyles.Float, CultureInfo.InvariantCulture) : 0,
        };
        foreach (var (name, value) in item)
        {
            if (name.StartsWith(LatencyPrefix, StringComparison.Ordinal)
                && int.TryParse(name.AsSpan(LatencyPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var bucket) && value.N is { } count)
            {
                sums.Latency.Add(bucket, long.Parse(count, CultureInfo.InvariantCulture));
            }
        }
        return sums;
    }

    private static Dictionary<string, AttributeValue> Key(string day, string sort) => new()
    {
        ["pk"] = new() { S = "day#" + day },
        ["sk"] = new() { S = sort },
    };

    private static AttributeValue Number(decimal value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };
}
