using System.Globalization;
using System.Net;
using System.Text.Json;
using SfAi.Api.Tests.Support;
using SfAi.Api.Usage;

namespace SfAi.Api.Tests.Usage;

/// <summary>The SQLite usage ledger and the usage API and CLI over it, through the real gateway.</summary>
public sealed class UsageLedgerTests : IAsyncLifetime
{
    private const string Frontend = """{"model":"frontend","messages":[{"role":"user","content":"hi"}]}""";
    private const string Echo = """{"model":"echo","messages":[{"role":"user","content":"hi"}]}""";
    private FakeUpstream _upstream = null!;

    public async ValueTask InitializeAsync() =>
        _upstream = await FakeUpstream.StartAsync(Replay.Json(Replay.Fixture("openai/chat-completion.json")));

    public async ValueTask DisposeAsync() => await _upstream.DisposeAsync();

    private static async Task<JsonElement> UsageAsync(TestGateway gateway, string query = "")
    {
        using var response = await gateway.Http.GetAsync($"/v1/usage{query}", TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement;
    }

    private static async Task MixedRunAsync(TestGateway gateway)
    {
        foreach (var body in new[] { Frontend, Frontend, Echo, Frontend, Echo, """{"model":"nope","messages":[{"role":"user","content":"hi"}]}""" })
        {
            using var response = await Post.JsonAsync(gateway.Http, body);
        }
        await gateway.Logs.WaitForAsync("chat_completion", 5);
        await gateway.Logs.WaitForAsync("llm_error");
    }

    [Fact]
    public async Task Holds_one_row_per_log_line_with_the_same_cost()
    {
        await using var gateway = await TestGateway.StartAsync(ModelMaps.OpenAI(_upstream.V1));
        await MixedRunAsync(gateway);

        var usage = await UsageAsync(gateway, "?group_by=alias");

        var lines = gateway.Logs.Events("chat_completion");
        var rows = usage.GetProperty("data").EnumerateArray().ToDictionary(g => g.GetProperty("group").GetString()!);
        Assert.Equal(6, usage.GetProperty("total").GetProperty("requests").GetInt64());
        Assert.Equal(1, usage.GetProperty("total").GetProperty("errors").GetInt64());
        Assert.Equal(3, rows["frontend"].GetProperty("requests").GetInt64());
        Assert.Equal(2, rows["echo"].GetProperty("requests").GetInt64());
        Assert.Equal(1, rows["(no alias)"].GetProperty("errors").GetInt64());
        Assert.Equal(lines.Where(l => l.GetProperty("costUsd").ValueKind == JsonValueKind.Number).Sum(l => l.GetProperty("costUsd").GetDecimal()),
            usage.GetProperty("total").GetProperty("cost_usd").GetDecimal());
        Assert.Equal(3 * 0.000118m, rows["frontend"].GetProperty("cost_usd").GetDecimal());
        Assert.Equal(3 * 1117, rows["frontend"].GetProperty("tokens_in").GetInt64());
        Assert.True(rows["frontend"].GetProperty("latency_p95_ms").GetDouble() >= rows["frontend"].GetProperty("latency_p50_ms").GetDouble());
        Assert.True(rows["frontend"].GetProperty("latency_p50_ms").GetDouble() > 0);
    }

    [Fact]
    public async Task Holds_every_protocols_requests_with_the_lines_protocol_and_cost()
    {
        const string map = """
            {
              "providers": { "echo": { "type": "echo" } },
              "aliases": {
                "echo": { "provider": "echo", "model": "echo-1" },
                "embed": { "provider": "echo", "model": "echo-embed-1", "kind": "embeddings" }
              },
              "prices": { "echo-1": { "input": 1, "output": 2 }, "echo-embed-1": { "input": 1, "output": 0 } }
            }
            """;
        await using var gateway = await TestGateway.StartAsync(map);
        using (var messages = new HttpRequestMessage(HttpMethod.Post, "/v1/messages")
        {
            Content = new StringContent("""{"model":"echo","max_tokens":50,"messages":[{"role":"user","content":"hello"}]}""", System.Text.Encoding.UTF8, "application/json"),
        })
        {
            messages.Headers.Add("anthropic-version", "2023-06-01");
            using var answer = await gateway.Http.SendAsync(messages, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        }
        foreach (var (path, body) in new[]
        {
            ("/v1/chat/completions", Echo),
            ("/v1/chat/completions", """{"model":"echo","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"hi there"}]}"""),
            ("/v1/responses", """{"model":"echo","input":"hello responses"}"""),
            ("/v1/embeddings", """{"model":"embed","input":["one","two"]}"""),
        })
        {
            using var answer = await Post.JsonAsync(gateway.Http, body, path);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        }
        var lines = await gateway.Logs.WaitForAsync("chat_completion", 5);

        var usage = await UsageAsync(gateway, "?group_by=alias");

        Assert.Equal(5, usage.GetProperty("total").GetProperty("requests").GetInt64());
        Assert.Equal(lines.Sum(l => l.GetProperty("costUsd").GetDecimal()), usage.GetProperty("total").GetProperty("cost_usd").GetDecimal());
        Assert.True(usage.GetProperty("total").GetProperty("cost_usd").GetDecimal() > 0);
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={gateway.UsageDbPath};Pooling=False");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT request_id, protocol FROM usage";
        var stored = new Dictionary<string, string?>();
        await using (var reader = await query.ExecuteReaderAsync(TestContext.Current.CancellationToken))
        {
            while (await reader.ReadAsync(TestContext.Current.CancellationToken))
            {
                stored[reader.GetString(0)] = reader.IsDBNull(1) ? null : reader.GetString(1);
            }
        }
        Assert.Equal(
            lines.ToDictionary(l => l.GetProperty("requestId").GetString()!, l => l.TryGetProperty("protocol", out var p) ? p.GetString() : null).OrderBy(e => e.Key),
            stored.OrderBy(e => e.Key));
        Assert.Contains("anthropic-messages", stored.Values);
    }

    [Fact]
    public async Task Groups_by_day_key_and_model_and_reads_the_period_asked()
    {
        await using var gateway = await TestGateway.StartAsync(ModelMaps.OpenAI(_upstream.V1));
        await MixedRunAsync(gateway);
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        var byDay = await UsageAsync(gateway, $"?group_by=day&from={today}&to={today}");
        var byKey = await UsageAsync(gateway, "?group_by=key");
        var byModel = await UsageAsync(gateway, "?group_by=model");
        var lastYear = await UsageAsync(gateway, "?from=2025-01-01&to=2025-12-31");

        Assert.Equal(today, Assert.Single(byDay.GetProperty("data").EnumerateArray()).GetProperty("group").GetString());
        Assert.Equal("anonymous", Assert.Single(byKey.GetProperty("data").EnumerateArray()).GetProperty("group").GetString());
        Assert.Equal(["gpt-4o-mini", "(no model)", "echo-1"], byModel.GetProperty("data").EnumerateArray().Select(g => g.GetProperty("group").GetString()));
        Assert.Empty(lastYear.GetProperty("data").EnumerateArray());
    }

    [Fact]
    public async Task Keeps_its_rows_across_a_restart()
    {
        var database = Path.Combine(Path.GetTempPath(), $"sfai-usage-{Guid.NewGuid():N}.db");
        await using (var gateway = await TestGateway.StartAsync(ModelMaps.OpenAI(_upstream.V1), $"--USAGE_DB_PATH={database}"))
        {
            await MixedRunAsync(gateway);
        }

        await using var restarted = await TestGateway.StartAsync(ModelMaps.OpenAI(_upstream.V1), $"--USAGE_DB_PATH={database}");
        var usage = await UsageAsync(restarted);

        Assert.Equal(6, usage.GetProperty("total").GetProperty("requests").GetInt64());
    }

    [Fact]
    public async Task Migrates_a_first_version_file_and_keeps_its_rows()
    {
        var database = Path.Combine(Path.GetTempPath(), $"sfai-usage-{Guid.NewGuid():N}.db");
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={database};Pooling=False"))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var create = connection.CreateCommand();
            create.CommandText = $"""
                CREATE TABLE usage (time INTEGER NOT NULL, request_id TEXT NOT NULL, key_name TEXT NOT NULL, user_id TEXT, alias TEXT,
                    answered_by TEXT, provider TEXT, upstream_model TEXT, status INTEGER NOT NULL, error_type TEXT, tokens_in INTEGER NOT NULL,
                    tokens_out INTEGER NOT NULL, cached_tokens_in INTEGER NOT NULL, cost_usd TEXT NOT NULL, cost_known INTEGER NOT NULL,
                    tokens_estimated INTEGER NOT NULL, latency_ms REAL NOT NULL);
                INSERT INTO usage VALUES ({DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}, 'req_old', 'alice', NULL, 'frontend', 'frontend',
                    'openai', 'gpt-4o-mini', 200, NULL, 10, 5, 0, '0.5', 1, 0, 12.5);
                PRAGMA user_version = 1;
                """;
            await create.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        await using var gateway = await TestGateway.StartAsync(ModelMaps.OpenAI(_upstream.V1), $"--USAGE_DB_PATH={database}");
        await MixedRunAsync(gateway);
        var byKey = Groups(await UsageAsync(gateway, "?group_by=key"));

        Assert.Equal(0.5m, byKey["alice"].GetProperty("cost_usd").GetDecimal());
        Assert.Equal(6, byKey["anonymous"].GetProperty("requests").GetInt64());
        Assert.Equal(0, byKey["alice"].GetProperty("cache_write_tokens_in").GetInt64());
    }

    private static Dictionary<string, JsonElement> Groups(JsonElement usage) =>
        usage.GetProperty("data").EnumerateArray().ToDictionary(g => g.GetProperty("group").GetString()!);

    [Fact]
    public async Task Serves_admin_keys_only()
    {
        var keys = await KeysFiles.WriteAsync($$"""
            {"keys":[
              {"name":"alice","sha256":"{{KeysFiles.Hash(KeysFiles.AliceKey)}}","aliases":["*"]},
              {"name":"bob","sha256":"{{KeysFiles.Hash(KeysFiles.BobKey)}}","aliases":["echo"],"admin":true}
            ]}
            """);
        await using var gateway = await TestGateway.StartAsync(ModelMaps.EchoOnly, "--AUTH_MODE=keys", $"--API_KEYS_PATH={keys}");

        using var anonymous = await gateway.Http.GetAsync("/v1/usage", TestContext.Current.CancellationToken);
        gateway.Http.DefaultRequestHeaders.Authorization = new("Bearer", KeysFiles.AliceKey);
        using var alice = await gateway.Http.GetAsync("/v1/usage", TestContext.Current.CancellationToken);
        gateway.Http.DefaultRequestHeaders.Authorization = new("Bearer", KeysFiles.BobKey);
        using var bob = await gateway.Http.GetAsync("/v1/USAGE/?group_by=user", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, alice.StatusCode);
        Assert.Equal("admin_key_required", (await Post.ErrorAsync(alice)).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, bob.StatusCode);
        File.Delete(keys);
    }

    [Theory]
    [InlineData("?group_by=week", "group_by")]
    [InlineData("?from=2026-13-01", "from")]
    [InlineData("?from=2026-12-10&to=2026-12-01", "to")]
    public async Task Names_a_wrong_query_parameter(string query, string param)
    {
        await using var gateway = await TestGateway.StartAsync(ModelMaps.EchoOnly);

        using var response = await gateway.Http.GetAsync($"/v1/usage{query}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(param, (await Post.ErrorAsync(response)).GetProperty("param").GetString());
    }

    [Fact]
    public async Task A_ledger_that_cannot_be_written_fails_no_request()
    {
        var blocked = Path.Combine(Path.GetTempPath(), $"sfai-usage-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(blocked, "a file where the ledger's folder should be", TestContext.Current.CancellationToken);
        await using var gateway = await TestGateway.StartAsync(ModelMaps.EchoOnly, $"--USAGE_DB_PATH={Path.Combine(blocked, "usage.db")}");

        using var answer = await Post.JsonAsync(gateway.Http, Echo);
        using var usage = await gateway.Http.GetAsync("/v1/usage", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, usage.StatusCode);
        Assert.Equal("usage_store_unavailable", (await Post.ErrorAsync(usage)).GetProperty("code").GetString());
        File.Delete(blocked);
    }

    [Fact]
    public async Task The_cli_prints_the_same_figures_as_a_table()
    {
        await using (var gateway = await TestGateway.StartAsync(ModelMaps.OpenAI(_upstream.V1)))
        {
            await MixedRunAsync(gateway);
            await UsageAsync(gateway); // the gateway's queued rows are written before it answers
            var output = new StringWriter();
            var error = new StringWriter();

            var exit = await UsageCommand.RunAsync(["usage", "--group-by", "alias", "--db", gateway.UsageDbPath], output, error, DateTimeOffset.UtcNow);

            Assert.True(exit == 0, error.ToString());
            var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.StartsWith("alias", lines[1], StringComparison.Ordinal);
            Assert.Matches(@"^frontend\s+3\s+0\s+3,351\s+138\s+0\.000354\s", lines[3]);
            Assert.Matches(@"^total\s+6\s+1\s", lines[^1]);
        }
    }
}
