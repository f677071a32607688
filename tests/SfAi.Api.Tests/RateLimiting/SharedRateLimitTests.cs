using System.Net;
using SfAi.Api.Tests.Support;

namespace SfAi.Api.Tests.RateLimiting;

/// <summary>The DynamoDB store against a real DynamoDB-compatible server: one limit shared by several gateway instances.</summary>
public sealed class SharedRateLimitTests : IClassFixture<Dynalite>
{
    private const string Hello = """{"model":"echo","messages":[{"role":"user","content":"hi"}]}""";
    private readonly Dynalite _dynamo;

    public SharedRateLimitTests(Dynalite dynamo) => _dynamo = dynamo;

    // The store may take 10 s, not the default 200 ms: on a loaded machine dynalite answers late, the gateway then
    // serves the request uncounted (RATE_LIMIT_STORE_FAILURE=open), and these tests are about counting.
    private async Task<TestGateway> GatewayAsync(string table, int qpm) => await TestGateway.StartAsync(ModelMaps.EchoOnly,
        $"--RATE_LIMIT_QPM={qpm}", "--RATE_LIMIT_STORE=dynamodb", $"--RATE_LIMIT_TABLE={table}", $"--AWS_ENDPOINT_URL_DYNAMODB={_dynamo.Endpoint.AbsoluteUri}",
        "--RATE_LIMIT_STORE_TIMEOUT_MS=10000");

    [Fact]
    public async Task Holds_one_limit_across_two_gateway_instances()
    {
        var table = await _dynamo.CreateTableAsync();
        await using var first = await GatewayAsync(table, qpm: 3);
        await using var second = await GatewayAsync(table, qpm: 3);

        var statuses = new List<HttpStatusCode>();
        foreach (var gateway in new[] { first, second, first, second, first })
        {
            statuses.Add((await Post.JsonAsync(gateway.Http, Hello)).StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task Lets_exactly_the_limit_through_when_two_instances_race()
    {
        var table = await _dynamo.CreateTableAsync();
        await using var first = await GatewayAsync(table, qpm: 6);
        await using var second = await GatewayAsync(table, qpm: 6);

        var responses = await Task.WhenAll(Enumerable.Range(0, 24).Select(i => Post.JsonAsync((i % 2 == 0 ? first : second).Http, Hello)));

        Assert.Equal(6, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(18, responses.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task Stores_each_counter_with_an_expiry_for_the_table_TTL()
    {
        var table = await _dynamo.CreateTableAsync();
        await using var gateway = await GatewayAsync(table, qpm: 10);

        await Post.JsonAsync(gateway.Http, Hello);

        var items = await _dynamo.Client.ScanAsync(new Amazon.DynamoDBv2.Model.ScanRequest(table), TestContext.Current.CancellationToken);
        var item = Assert.Single(items.Items);
        Assert.StartsWith("gateway:requests#", item["pk"].S, StringComparison.Ordinal);
        Assert.Equal("1", item["count"].N);
        Assert.True(long.Parse(item["expiresAt"].N, System.Globalization.CultureInfo.InvariantCulture) > DateTimeOffset.UtcNow.ToUnixTimeSeconds());
    }
}
