using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using SfAi.Core.RateLimiting;

namespace SfAi.Api.RateLimiting;

/// <summary>
/// Rate-limit counters in DynamoDB, so a limit holds across any number of Lambda instances: one item per counter and
/// window (<c>pk</c> = counter#window), incremented by a conditional <c>UpdateItem</c> that fails atomically when the
/// limit would be passed; items expire through the table's TTL on <c>expiresAt</c>.
/// </summary>
internal sealed class DynamoDbRateLimitStore : IRateLimitStore
{
    private static readonly TimeSpan KeepAfterWindow = TimeSpan.FromHours(1);
    private readonly IAmazonDynamoDB _dynamo;
    private readonly string _table;

    public DynamoDbRateLimitStore(IAmazonDynamoDB dynamo, string table)
    {
        _dynamo = dynamo;
        _table = table;
    }

    public async ValueTask<CounterResult> TryAddAsync(string counter, long amount, long limit, RateWindow window, CancellationToken cancellationToken)
    {
        var request = Update(counter, amount, window);
        request.ConditionExpression = "attribute_not_exists(#count) OR #count <= :maxBefore";
        request.ExpressionAttributeValues[":maxBefore"] = Number(limit - amount);
        try
        {
            var response = await _dynamo.UpdateItemAsync(request, cancellationToken);
            return new CounterResult(true, long.Parse(response.Attributes["count"].N, CultureInfo.InvariantCulture));
        }
        catch (ConditionalCheckFailedException)
        {
            return new CounterResult(false, limit);
        }
    }

    public async ValueTask AdjustAsync(string counter, long delta, RateWindow window, CancellationToken cancellationToken) =>
        await _dynamo.UpdateItemAsync(Update(counter, delta, window), cancellationToken);

    /// <summary>A strongly consistent read: the budgets page shows what the next request will be checked against.</summary>
    public async ValueTask<long?> ReadAsync(string counter, RateWindow window, CancellationToken cancellationToken)
    {
        var response = await _dynamo.GetItemAsync(new GetItemRequest
        {
            TableName = _table,
            Key = Key(counter, window),
            ConsistentRead = true,
            ProjectionExpression = "#count",
            ExpressionAttributeNames = new Dictionary<string, string> { ["#count"] = "count" },
        }, cancellationToken);
        return response.Item is { } item && item.TryGetValue("count", out var count) && count.N is { } n
            ? long.Parse(n, CultureInfo.InvariantCulture)
            : 0;
    }

    private static Dictionary<string, AttributeValue> Key(string counter, RateWindow window) => new()
    {
        ["pk"] = new() { S = string.Create(CultureInfo.InvariantCulture, $"{counter}#{window.Key}") },
    };

    private UpdateItemRequest Update(string counter, long amount, RateWindow window) => new()
    {
        TableName = _table,
        Key = Key(counter, window),
        UpdateExpression = "ADD #count :amount SET #expires = if_not_exists(#expires, :expires)",
        ExpressionAttributeNames = new Dictionary<string, string> { ["#count"] = "count", ["#expires"] = "expiresAt" },
        ExpressionAttributeValues = new Dictionary<string, AttributeValue>
        {
            [":amount"] = Number(amount),
            [":expires"] = Number((window.End + KeepAfterWindow).ToUnixTimeSeconds()),
        },
        ReturnValues = ReturnValue.UPDATED_NEW,
    };

    private static AttributeValue Number(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };
}
