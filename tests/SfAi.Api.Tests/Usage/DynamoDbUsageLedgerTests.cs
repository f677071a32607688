using System.Globalization;
using System.Net;
using System.Text.Json;
using Amazon.DynamoDBv2.Model;
using Microsoft.Extensions.Configuration;
using SfAi.Api.Tests.Support;
using SfAi.Api.Usage;

namespace SfAi.Api.Tests.Usage;

/// <summary>
/// The DynamoDB usage ledger (<c>USAGE_STORE=dynamodb</c>) in dynalite, a table shaped as the CDK app makes it:
/// gateway instances add their requests into the same daily items, and the usage API and CLI read the sums back.
/// </summary>
public sealed class DynamoDbUsageLedgerTests : IClassFixture<Dynalite>, IAsyncLifetime
{
    private const string Frontend = """{"model":"frontend","messages":[{"role":"user","content":"hi"}]}""";
    private const string Echo = """{"model":"echo","messages":[{"role":"user","content":"hi"}]}""";
    private const string Unknown = """{"model":"nope","messages":[{"role":"user","content":"hi"}]}""";
    private readonly Dynalite _dynamo;
    private FakeUpstream _upstream = null!;

    public DynamoDbUsageLedgerTests(Dynalite dynamo) => _dynamo = dynamo;

    public async ValueTask InitializeAsync() =>
        _upstream = await FakeUpstream.StartAsync(Replay.Json(Replay.Fixture("openai/chat-completion.json")));

    public async ValueTask DisposeAsync() => await _upstream.DisposeAsync();

    private Task<TestGateway> GatewayAsync(string table) => TestGateway.StartAsync(ModelMaps.OpenAI(_upstream.V1),
        "--USAGE_STORE=dynamodb", $"--USAGE_TABLE={table}", $"--AWS_ENDPOINT_URL_DYNAMODB={_dynamo.Endpoint.AbsoluteUri}");

    private static async Task RunAsync(TestGateway gateway, params string[] bodies)
    {
        foreach (var body in bodies)
        {
            using var response = await Post.JsonAsync(gateway.Http, body);
        }
    }

    private static async Task<JsonElement> UsageAsync(TestGateway gateway, string query)
    {
        using var response = await gateway.Http.GetAsync($"/v1/usage{query}", TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement;
    }

    private static Dictionary<string, JsonElement> Groups(JsonElement usage) =>
        usage.GetProperty("data").EnumerateArray().ToDictionary(g => g.GetProperty("group").GetString()!);

    [Fact]
    public async Task Two_instances_add_up_into_one_ledger_that_equals_their_log_lines()
    {
        var table = await _dynamo.CreateUsageTableAsync();
        await using var reader = await GatewayAsync(table);
        List<JsonElement> otherLines;
        await using (var other = await GatewayAsync(table))
        {
            await RunAsync(other, Frontend, Echo, Unknown);
            await other.Logs.WaitForAsync("chat_completion", 2);
            otherLines = other.Logs.Events("chat_completion").ToList();
        }
        await RunAsync(reader, Frontend, Frontend, Echo, Unknown);
        await reader.Logs.WaitForAsync("chat_completion", 3);
        var lines = reader.Logs.Events("chat_completion").Concat(otherLines).ToList();
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        var byAlias = await UsageAsync(reader, "?group_by=alias");
        var byDay = await UsageAsync(reader, $"?group_by=day&from={today}&to={today}");
        var byUser = await UsageAsync(reader, "?group_by=user");

        var aliases = Groups(byAlias);
        Assert.Equal(7, byAlias.GetProperty("total").GetProperty("requests").GetInt64());
        Assert.Equal(2, byAlias.GetProperty("total").GetProperty("errors").GetInt64());
        Assert.Equal(lines.Sum(l => l.GetProperty("costUsd").GetDecimal()), byAlias.GetProperty("total").GetProperty("cost_usd").GetDecimal());
        Assert.Equal(3, aliases["frontend"].GetProperty("requests").GetInt64());
        Assert.Equal(3 * 0.000118m, aliases["frontend"].GetProperty("cost_usd").GetDecimal());
        Assert.Equal(3 * 1117, aliases["frontend"].GetProperty("tokens_in").GetInt64());
        Assert.Equal(2, aliases["(no alias)"].GetProperty("errors").GetInt64());
        var p50 = aliases["frontend"].GetProperty("latency_p50_ms").GetDouble();
        Assert.InRange(p50, lines.Where(l => l.GetProperty("alias").GetString() == "frontend").Min(l => l.GetProperty("latencyMs").GetDouble()), double.MaxValue);
        Assert.True(aliases["frontend"].GetProperty("latency_p95_ms").GetDouble() >= p50);

        var day = Assert.Single(byDay.GetProperty("data").EnumerateArray());
        Assert.Equal(today, day.GetProperty("group").GetString());
        Assert.Equal(7, day.GetProperty("requests").GetInt64());
        Assert.Equal(3 * 0.000118m, day.GetProperty("cost_by_alias").GetProperty("frontend").GetDecimal());
        Assert.Equal(["frontend"], day.GetProperty("cost_by_alias").EnumerateObject().Select(a => a.Name));

        Assert.Equal(7, Assert.Single(byUser.GetProperty("data").EnumerateArray(), g => g.GetProperty("group").GetString() == "(no user)").GetProperty("requests").GetInt64());
    }

    [Fact]
    public async Task Keeps_daily_items_with_atomic_counters_that_expire_after_the_retention()
    {
        var table = await _dynamo.CreateUsageTableAsync();
        await using var gateway = await GatewayAsync(table);
        await RunAsync(gateway, Frontend, Frontend);
        await gateway.Logs.WaitForAsync("chat_completion", 2);
        await UsageAsync(gateway, "");
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        var items = (await _dynamo.Client.QueryAsync(new QueryRequest
        {
            TableName = table,
            KeyConditionExpression = "pk = :pk",
            ExpressionAttributeValues = new() { [":pk"] = new AttributeValue($"day#{today}") },
        }, TestContext.Current.CancellationToken)).Items;

        Assert.Equal(["alias#frontend", "key#anonymous", "model#gpt-4o-mini", "total"], items.Select(i => i["sk"].S).Order(StringComparer.Ordinal));
        var total = items.Single(i => i["sk"].S == "total");
        Assert.Equal("2", total["requests"].N);
        Assert.Equal(0.000236m, decimal.Parse(total["costUsd"].N, CultureInfo.InvariantCulture));
        Assert.Equal(2, total.Where(a => a.Key.StartsWith("lat", StringComparison.Ordinal)).Sum(a => int.Parse(a.Value.N, CultureInfo.InvariantCulture)));
        var expires = DateTimeOffset.FromUnixTimeSeconds(long.Parse(total["expiresAt"].N, CultureInfo.InvariantCulture));
        Assert.Equal(DateTimeOffset.Parse(today, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal) + DynamoDbUsageLedger.Retention, expires);
    }

    [Fact]
    public async Task A_missing_table_fails_no_request_and_is_reported_once_with_the_rows_lost()
    {
        await using var gateway = await GatewayAsync($"no-such-table-{Guid.NewGuid():N}");

        await RunAsync(gateway, Echo, Echo);
        await gateway.Logs.WaitForAsync("chat_completion", 2);
        using var answer = await Post.JsonAsync(gateway.Http, Echo);
        using var usage = await gateway.Http.GetAsync("/v1/usage", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, usage.StatusCode);
        Assert.Equal("usage_store_unavailable", (await Post.ErrorAsync(usage)).GetProperty("code").GetString());
        var report = Assert.Single(gateway.Logs.Events("usage_ledger_unavailable"));
        Assert.InRange(report.GetProperty("lostRows").GetInt64(), 1, 3);
        Assert.Contains("ResourceNotFound", report.GetProperty("reason").GetString()!, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_cli_reads_the_table_it_is_given()
    {
        var table = await _dynamo.CreateUsageTableAsync();
        await using (var gateway = await GatewayAsync(table))
        {
            await RunAsync(gateway, Frontend, Echo);
            await gateway.Logs.WaitForAsync("chat_completion", 2);
        }
        var environment = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["AWS_ENDPOINT_URL_DYNAMODB"] = _dynamo.Endpoint.AbsoluteUri })
            .Build();
        var output = new StringWriter();
        var error = new StringWriter();

        var exit = await UsageCommand.RunAsync(["usage", "--group-by", "alias", "--table", table], output, error, DateTimeOffset.UtcNow, environment);

        Assert.True(exit == 0, error.ToString());
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Matches(@"^frontend\s+1\s+0\s+1,117\s+46\s+0\.000118\s", lines[3]);
        Assert.Matches(@"^total\s+2\s+0\s", lines[^1]);
    }
}
