using System.Globalization;
using System.Net;
using System.Text.Json;
using SfAi.Api.Tests.Support;

namespace SfAi.Api.Tests.Budgets;

/// <summary>
/// Money budgets from the keys file, through real HTTP against an OpenAI fake whose answers carry usage: gpt-4o-mini at
/// $0.15/$0.60 per million tokens ($0.075 cached) makes the non-stream fixture cost $0.00011835 (93 + 1,024 cached in,
/// 46 out) and the stream fixture $0.000006225 (3 + 5 cached in, 9 out).
/// </summary>
public sealed class BudgetTests : IClassFixture<Dynalite>
{
    private const string Question = """{"model":"frontend","messages":[{"role":"user","content":"hi"}]}""";
    private const string StreamedQuestion = """{"model":"frontend","stream":true,"messages":[{"role":"user","content":"hi"}]}""";
    private readonly Dynalite _dynamo;

    public BudgetTests(Dynalite dynamo) => _dynamo = dynamo;

    private static Task<string> KeysAsync(string budget) => KeysFiles.WriteAsync($$"""
        {"keys":[
          {"name":"alice","sha256":"{{KeysFiles.Hash(KeysFiles.AliceKey)}}","aliases":["*"],"budget":{{budget}}},
          {"name":"bob","sha256":"{{KeysFiles.Hash(KeysFiles.BobKey)}}","aliases":["*"]}
        ]}
        """);

    private static async Task<TestGateway> GatewayAsync(FakeUpstream upstream, string keys, params string[] settings)
    {
        var gateway = await TestGateway.StartAsync(ModelMaps.OpenAI(upstream.V1), ["--AUTH_MODE=keys", $"--API_KEYS_PATH={keys}", .. settings]);
        gateway.Http.DefaultRequestHeaders.Authorization = new("Bearer", KeysFiles.AliceKey);
        return gateway;
    }

    [Fact]
    public async Task Refuses_with_insufficient_quota_once_a_daily_budget_is_spent_and_says_when_it_resets()
    {
        await using var upstream = await FakeUpstream.StartAsync(Replay.Json(Replay.Fixture("openai/chat-completion.json")));
        var keys = await KeysAsync("""{"dailyUsd":0.0001}""");
        await using var gateway = await GatewayAsync(upstream, keys);

        var first = await Post.JsonAsync(gateway.Http, Question);
        await gateway.Logs.WaitForAsync("chat_completion");
        var second = await Post.JsonAsync(gateway.Http, Question);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.InRange(decimal.Parse(first.Headers.GetValues("x-budget-remaining-usd").Single(), CultureInfo.InvariantCulture), 0.0000999m, 0.0001m);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        var error = await Post.ErrorAsync(second);
        Assert.Equal(("insufficient_quota", "insufficient_quota"), (error.GetProperty("type").GetString(), error.GetProperty("code").GetString()));
        var message = error.GetProperty("message").GetString()!;
        var tomorrow = DateTime.UtcNow.Date.AddDays(1).ToString("yyyy-MM-dd'T'00:00:00'Z'", CultureInfo.InvariantCulture);
        Assert.Equal($"Budget reached for key 'alice': its daily budget is $0.0001, and $0.000118 has been spent. It resets at {tomorrow}.", message);
        Assert.InRange(int.Parse(second.Headers.RetryAfter!.ToString(), CultureInfo.InvariantCulture), 1, 86_400);
        Assert.Equal("0", second.Headers.GetValues("x-budget-remaining-usd").Single());
        Assert.Single(upstream.Requests);
        var logged = Assert.Single(await gateway.Logs.WaitForAsync("llm_error"));
        Assert.Equal(("budget_exceeded", 429), (logged.GetProperty("errorType").GetString(), logged.GetProperty("status").GetInt32()));
        File.Delete(keys);
    }

    [Fact]
    public async Task Counts_a_streams_cost_once_its_usage_arrives_at_the_end()
    {
        await using var upstream = await FakeUpstream.StartAsync(Replay.StreamFixture("openai/chat-stream-include-usage.txt"));
        var keys = await KeysAsync("""{"monthlyUsd":0.000005}""");
        await using var gateway = await GatewayAsync(upstream, keys);

        var first = await Post.JsonAsync(gateway.Http, StreamedQuestion);
        await first.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        await gateway.Logs.WaitForAsync("chat_completion");
        var second = await Post.JsonAsync(gateway.Http, StreamedQuestion);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Contains("its monthly budget is $0.000005, and $0.000006 has been spent",
            (await Post.ErrorAsync(second)).GetProperty("message").GetString(), StringComparison.Ordinal);
        File.Delete(keys);
    }

    [Fact]
    public async Task A_strict_budget_refuses_a_call_whose_worst_case_does_not_fit_before_calling_upstream()
    {
        await using var upstream = await FakeUpstream.StartAsync(Replay.Json(Replay.Fixture("openai/chat-completion.json")));
        var keys = await KeysAsync("""{"dailyUsd":0.0001,"strict":true}""");
        await using var gateway = await GatewayAsync(upstream, keys);

        var small = await Post.JsonAsync(gateway.Http, """{"model":"frontend","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}""");
        await gateway.Logs.WaitForAsync("chat_completion");
        var large = await Post.JsonAsync(gateway.Http, """{"model":"frontend","max_tokens":1000,"messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal(HttpStatusCode.OK, small.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, large.StatusCode);
        Assert.Contains("its budget is strict", (await Post.ErrorAsync(large)).GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Single(upstream.Requests);
        File.Delete(keys);
    }

    [Fact]
    public async Task One_keys_spent_budget_leaves_the_other_keys_alone()
    {
        await using var upstream = await FakeUpstream.StartAsync(Replay.Json(Replay.Fixture("openai/chat-completion.json")));
        var keys = await KeysAsync("""{"dailyUsd":0.0001}""");
        await using var gateway = await GatewayAsync(upstream, keys);
        await Post.JsonAsync(gateway.Http, Question);
        await gateway.Logs.WaitForAsync("chat_completion");

        gateway.Http.DefaultRequestHeaders.Authorization = new("Bearer", KeysFiles.BobKey);
        var bob = await Post.JsonAsync(gateway.Http, Question);

        Assert.Equal(HttpStatusCode.OK, bob.StatusCode);
        Assert.False(bob.Headers.Contains("x-budget-remaining-usd"));
        File.Delete(keys);
    }

    [Fact]
    public async Task The_gateways_monthly_budget_covers_every_caller()
    {
        await using var upstream = await FakeUpstream.StartAsync(Replay.Json(Replay.Fixture("openai/chat-completion.json")));
        var keys = await KeysAsync("""{"dailyUsd":5}""");
        await using var gateway = await GatewayAsync(upstream, keys, "--BUDGET_MONTHLY_USD=0.0002");
        await Post.JsonAsync(gateway.Http, Question);
        await gateway.Logs.WaitForAsync("chat_completion");
        gateway.Http.DefaultRequestHeaders.Authorization = new("Bearer", KeysFiles.BobKey);
        await Post.JsonAsync(gateway.Http, Question);
        await gateway.Logs.WaitForAsync("chat_completion", 2);

        var third = await Post.JsonAsync(gateway.Http, Question);

        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.StartsWith("Budget reached for the gateway: its monthly budget is $0.0002",
            (await Post.ErrorAsync(third)).GetProperty("message").GetString(), StringComparison.Ordinal);
        File.Delete(keys);
    }

    [Fact]
    public async Task Two_gateway_instances_sharing_the_store_enforce_one_budget()
    {
        await using var upstream = await FakeUpstream.StartAsync(Replay.Json(Replay.Fixture("openai/chat-completion.json")));
        var keys = await KeysAsync("""{"dailyUsd":0.0002}""");
        var table = await _dynamo.CreateTableAsync();
        string[] shared = ["--RATE_LIMIT_STORE=dynamodb", $"--RATE_LIMIT_TABLE={table}", $"--AWS_ENDPOINT_URL_DYNAMODB={_dynamo.Endpoint.AbsoluteUri}",
            "--RATE_LIMIT_STORE_TIMEOUT_MS=10000"];
        await using var first = await GatewayAsync(upstream, keys, shared);
        await using var second = await GatewayAsync(upstream, keys, shared);

        var statuses = new List<HttpStatusCode>();
        foreach (var gateway in new[] { first, second, first })
        {
            var logged = gateway.Logs.Events("chat_completion").Count;
            var response = await Post.JsonAsync(gateway.Http, Question);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                await gateway.Logs.WaitForAsync("chat_completion", logged + 1);
            }
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        File.Delete(keys);
    }

    [Fact]
    public async Task The_budgets_API_shows_each_budget_with_what_was_spent_and_what_remains()
    {
        await using var upstream = await FakeUpstream.StartAsync(Replay.Json(Replay.Fixture("openai/chat-completion.json")));
        var keys = await KeysFiles.WriteAsync($$$"""
            {"anonymous":{"aliases":["echo"],"budget":{"dailyUsd":1}},
             "keys":[
              {"name":"alice","sha256":"{{{KeysFiles.Hash(KeysFiles.AliceKey)}}}","aliases":["*"],"budget":{"dailyUsd":0.001,"monthlyUsd":0.01,"strict":true}},
              {"name":"bob","sha256":"{{{KeysFiles.Hash(KeysFiles.BobKey)}}}","aliases":["*"],"admin":true}
            ]}
            """);
        await using var gateway = await GatewayAsync(upstream, keys, "--BUDGET_MONTHLY_USD=50");
        using var _ = await Post.JsonAsync(gateway.Http, """{"model":"frontend","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}""");
        await gateway.Logs.WaitForAsync("chat_completion");

        using var refused = await gateway.Http.GetAsync("/v1/usage/budgets", TestContext.Current.CancellationToken);
        gateway.Http.DefaultRequestHeaders.Authorization = new("Bearer", KeysFiles.BobKey);
        var budgets = JsonDocument.Parse(await gateway.Http.GetStringAsync("/v1/usage/budgets", TestContext.Current.CancellationToken)).RootElement;

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var rows = budgets.GetProperty("data").EnumerateArray().Select(b => (
            b.GetProperty("scope").GetString(), b.GetProperty("name").GetString(), b.GetProperty("period").GetString(),
            b.GetProperty("budget_usd").GetDecimal(), b.GetProperty("spent_usd").GetDecimal(), b.GetProperty("remaining_usd").GetDecimal(),
            b.GetProperty("strict").GetBoolean())).ToList();
        Assert.Equal(
        [
            ("key", "alice", "daily", 0.001m, 0.000118m, 0.000882m, true),
            ("key", "alice", "monthly", 0.01m, 0.000118m, 0.009882m, true),
            ("anonymous", null, "daily", 1m, 0m, 1m, false),
            ("gateway", null, "monthly", 50m, 0.000118m, 49.999882m, false),
        ], rows);
        var now = DateTime.UtcNow;
        Assert.Equal(now.Date.AddDays(1).ToString("yyyy-MM-dd'T'00:00:00'Z'", CultureInfo.InvariantCulture),
            budgets.GetProperty("data")[0].GetProperty("resets_at").GetString());
        Assert.Equal(new DateTime(now.Year, now.Month, 1).AddMonths(1).ToString("yyyy-MM-dd'T'00:00:00'Z'", CultureInfo.InvariantCulture),
            budgets.GetProperty("data")[1].GetProperty("resets_at").GetString());
        File.Delete(keys);
    }
}
