using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using SfAi.Api.Tests.Support;

namespace SfAi.Api.Tests.Resilience;

/// <summary>A fake upstream that fails in each way, and what the client gets, through the real gateway.</summary>
public sealed class ProviderResilienceTests : IAsyncLifetime
{
    private const string FastRetries = ", \"retry\": { \"attempts\": 2, \"baseDelayMs\": 5 }";
    private static readonly string Completion = Replay.Fixture("openai/chat-completion.json");
    private FakeUpstream _upstream = null!;

    public async ValueTask InitializeAsync() => _upstream = await FakeUpstream.StartAsync();

    public async ValueTask DisposeAsync() => await _upstream.DisposeAsync();

    private static Func<HttpContext, Task> FailFirst(int failures, Func<HttpContext, Task> failure, Func<HttpContext, Task> success)
    {
        var calls = 0;
        return context => Interlocked.Increment(ref calls) <= failures ? failure(context) : success(context);
    }

    [Fact]
    public async Task Retries_a_server_error_and_answers_with_the_next_try()
    {
        _upstream.Respond = FailFirst(1, Replay.Json("""{"error":{"message":"boom","type":"server_error"}}""", 500), Replay.Json(Completion));
        await using var gateway = await TestGateway.StartAsync(ModelMaps.OpenAI(_upstream.V1, providerExtras: FastRetries));

        var response = await Post.JsonAsync(gateway.Http, Post.Hello);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, _upstream.Requests.Count);
        Assert.Contains(gateway.Logs.Lines, line => line.Contains("upstream_retry", StringComparison.Ordinal) && line.Contains("\"Attempt\":1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Waits_as_long_as_a_429_asks_before_trying_again()
    {
        _upstream.Respond = FailFirst(1, Replay.Json("""{"error":{"message":"slow down","type":"requests"}}""", 429, r => r.Headers["retry-after-ms"] = "300"), Replay.Json(Completion));
        await using var gateway = await TestGateway.StartAsync(ModelMaps.OpenAI(_upstream.V1, providerExtras: FastRetries));
        var clock = Stopwatch.StartNew();

        var response = await Post.JsonAsync(gateway.Http, Post.Hello);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // The runtime's timers count coarse milliseconds (the kernel's coarse clock), so a 300 ms wait may end a few
        // milliseconds early by the stopwatch; without the upstream's retry-after-ms the retry would come after about 5 ms (baseDelayMs).
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(290), $"answered after {clock.Elapsed.TotalMilliseconds} ms, before the 300 ms the upstream asked for");
    }

    [Fact]
    public async Task Passes_on_a_429_that_asks_for_a_long_wait_without_waiting()
    {
        _upstream.Respond = Replay.Json("""{"error":{"message":"quota","type":"requests"}}""", 429, r => r.Headers.RetryAfter = "60");
        await using var gateway = await TestGateway.StartAsync(ModelMaps.OpenAI(_upstream.V1, providerExtras: FastRetries));

        var response = await Post.JsonAsync(gateway.Http, Post.Hello);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Single(_upstream.Requests);
    }

    [Fact]
    public async Task Does_not_retry_a_request_the_upstream_rejected()
    {
        _upstream.Respond = Replay.Json("""{"error":{"message":"bad","type":"invalid_request_error"}}""", 400);
        await using var gateway = await TestGateway.StartAsync(ModelMaps.OpenAI(_upstream.V1, providerExtras: FastRetries));

        await Post.JsonAsync(gateway.Http, Post.Hello);

        Assert.Single(_upstream.Requests);
    }

    [Fact]
    public async Task Gives_up_after_the_configured_retries()
    {
        _upstream.Respond = Replay.Json("""{"error":{"message":"down","type":"server_error"}}""", 503);
        await using var gateway = await TestGateway.StartAsync(ModelMaps.OpenAI(_upstream.V1, providerExtras: FastRetries));

        var response = await Post.JsonAsync(gateway.Http, Post.Hello);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal(3, _upstream.Requests.Count);
    }

    [Fact]
    public async Task Never_retries_once_the_stream_has_reached_the_client()
    {
        var events = Replay.Events("openai/chat-stream-include-usage.txt");
        _upstream.Respond = Replay.Stream(events, beforeEvent: (i, _) => i == 2 ? throw new InvalidOperationException("died") : Task.CompletedTask);
        await using var gateway = await TestGateway.StartAsync(ModelMaps.OpenAI(_upstream.V1, providerExtras: FastRetries));

        var body = await (await Post.JsonAsync(gateway.Http, Post.HelloStream)).Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Contains("upstream_unavailable", body, StringComparison.Ordinal);
        Assert.Single(_upstream.Requests);
    }

    [Fact]
    public async Task Falls_back_to_the_next_alias_when_the_provider_cannot_be_reached()
    {
        var map = ModelMaps.OpenAI($"http://127.0.0.1:{ClosedPort()}/v1", """, "fallbacks": ["echo"]""", providerExtras: FastRetries);
        await using var gateway = await TestGateway.StartAsync(map);

        var response = await Post.JsonAsync(gateway.Http, Post.Hello);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("You said: hi", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        var logged = Assert.Single(await gateway.Logs.WaitForAsync("chat_completion"));
        Assert.Equal("frontend", logged.GetProperty("alias").GetString());
        Assert.Equal("echo", logged.GetProperty("answeredBy").GetString());
        Assert.Equal("echo", logged.GetProperty("provider").GetString());
        var fallback = Assert.Single(gateway.Logs.Events("fallback"));
        Assert.Equal("frontend", fallback.GetProperty("from").GetString());
        Assert.Equal(502, fallback.GetProperty("status").GetInt32());
    }

    [Theory]
    [InlineData("\"private\", \"echo\"", HttpStatusCode.OK)]
    [InlineData("\"private\"", HttpStatusCode.BadGateway)]
    public async Task A_key_never_reaches_through_a_fallback_an_alias_it_may_not_call(string fallbacks, HttpStatusCode expected)
    {
        var map = ModelMaps.OpenAI($"http://127.0.0.1:{ClosedPort()}/v1", $", \"fallbacks\": [{fallbacks}]", providerExtras: FastRetries)
            .Replace("\"echo\": { \"provider\": \"echo\", \"model\": \"echo-1\" }",
                "\"echo\": { \"provider\": \"echo\", \"model\": \"echo-1\" }, \"private\": { \"provider\": \"echo\", \"model\": \"echo-private\" }",
                StringComparison.Ordinal);
        var keysPath = await KeysFiles.WriteAsync($$"""
            { "keys": [ { "name": "bob", "sha256": "{{KeysFiles.Hash(KeysFiles.BobKey)}}", "aliases": ["frontend", "echo"] } ] }
            """);
        await using var gateway = await TestGateway.StartAsync(map, "--AUTH_MODE=keys", $"--API_KEYS_PATH={keysPath}");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = new StringContent(Post.Hello, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", KeysFiles.BobKey);

        var response = await gateway.Http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(expected, response.StatusCode);
        Assert.DoesNotContain(gateway.Logs.Events("fallback"), e => e.GetProperty("to").GetString() == "private");
        if (expected == HttpStatusCode.OK)
        {
            var logged = Assert.Single(await gateway.Logs.WaitForAsync("chat_completion"));
            Assert.Equal("echo", logged.GetProperty("answeredBy").GetString());
        }
        File.Delete(keysPath);
    }

    [Fact]
    public async Task Does_not_fall_back_on_the_clients_own_mistake()
    {
        _upstream.Respond = Replay.Json("""{"error":{"message":"bad","type":"invalid_request_error"}}""", 400);
        await using var gateway = await TestGateway.StartAsync(ModelMaps.OpenAI(_upstream.V1, """, "fallbacks": ["echo"]"""));

        var response = await Post.JsonAsync(gateway.Http, Post.Hello);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(gateway.Logs.Events("fallback"));
    }

    [Fact]
    public async Task Opens_the_circuit_after_repeated_failures_and_says_so_on_health()
    {
        _upstream.Respond = Replay.Json("""{"error":{"message":"down","type":"server_error"}}""", 500);
        var breaker = ", \"retry\": { \"attempts\": 0 }, \"circuitBreaker\": { \"minimumRequests\": 2, \"breakSeconds\": 60 }";
        await using var gateway = await TestGateway.StartAsync(ModelMaps.OpenAI(_upstream.V1, providerExtras: breaker));
        await Post.JsonAsync(gateway.Http, Post.Hello);
        await Post.JsonAsync(gateway.Http, Post.Hello);

        var third = await Post.JsonAsync(gateway.Http, Post.Hello);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, third.StatusCode);
        Assert.Equal("circuit_open", (await Post.ErrorAsync(third)).GetProperty("code").GetString());
        Assert.Equal(2, _upstream.Requests.Count);
        var health = JsonDocument.Parse(await gateway.Http.GetStringAsync("/health", TestContext.Current.CancellationToken)).RootElement;
        Assert.Equal("open", health.GetProperty("providers").GetProperty("openai/gpt-4o-mini").GetProperty("circuit").GetString());
        Assert.InRange(int.Parse(third.Headers.RetryAfter!.ToString(), System.Globalization.CultureInfo.InvariantCulture), 59, 60);
        Assert.Contains("openai/gpt-4o-mini", (await Post.ErrorAsync(third)).GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    /// <summary>Three aliases on one provider, each its own upstream model: a deployment each.</summary>
    private static string ThreeModels(string upstreamV1) => $$"""
        {
          "providers": {
            "openai": { "type": "openai", "baseUrl": "{{upstreamV1}}", "apiKey": { "env": "{{ModelMaps.KeyVariable}}" }, "timeoutSeconds": 5, "retry": { "attempts": 0 } }
          },
          "aliases": {
            "broken": { "provider": "openai", "model": "model-broken" },
            "healthy": { "provider": "openai", "model": "model-healthy" },
            "picky": { "provider": "openai", "model": "model-picky" }
          }
        }
        """;

    private static string Ask(string alias) => $$"""{"model":"{{alias}}","messages":[{"role":"user","content":"hi"}]}""";

    [Fact]
    public async Task A_failing_model_opens_only_its_own_circuit()
    {
        _upstream.Respond = context =>
        {
            var model = _upstream.LastRequest.Json["model"]!.GetValue<string>();
            return model switch
            {
                "model-broken" => Replay.Json("""{"error":{"message":"down","type":"server_error"}}""", 500)(context),
                "model-picky" => Replay.Json("""{"error":{"message":"temperature is out of range","type":"invalid_request_error","param":"temperature","code":null}}""", 400)(context),
                _ => Replay.Json(Completion)(context),
            };
        };
        await using var gateway = await TestGateway.StartAsync(ThreeModels(_upstream.V1));
        for (var i = 0; i < 30; i++)
        {
            await Post.JsonAsync(gateway.Http, Ask("broken"));
        }

        var healthy = await Post.JsonAsync(gateway.Http, Ask("healthy"));
        var picky = await Post.JsonAsync(gateway.Http, Ask("picky"));
        var broken = await Post.JsonAsync(gateway.Http, Ask("broken"));

        Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, picky.StatusCode);
        Assert.Contains("temperature is out of range", (await Post.ErrorAsync(picky)).GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, broken.StatusCode);
        Assert.Equal("circuit_open", (await Post.ErrorAsync(broken)).GetProperty("code").GetString());
        Assert.NotNull(broken.Headers.RetryAfter);
        var providers = JsonDocument.Parse(await gateway.Http.GetStringAsync("/health", TestContext.Current.CancellationToken)).RootElement.GetProperty("providers");
        Assert.Equal("open", providers.GetProperty("openai/model-broken").GetProperty("circuit").GetString());
        Assert.Equal("closed", providers.GetProperty("openai/model-healthy").GetProperty("circuit").GetString());
    }

    [Fact]
    public async Task Rate_limits_never_open_the_circuit()
    {
        _upstream.Respond = Replay.Json("""{"error":{"message":"quota","type":"requests"}}""", 429, r => r.Headers.RetryAfter = "60");
        var breaker = ", \"retry\": { \"attempts\": 0 }, \"circuitBreaker\": { \"minimumRequests\": 2 }";
        await using var gateway = await TestGateway.StartAsync(ModelMaps.OpenAI(_upstream.V1, providerExtras: breaker));
        for (var i = 0; i < 10; i++)
        {
            var response = await Post.JsonAsync(gateway.Http, Post.Hello);

            Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
            Assert.Equal("60", response.Headers.RetryAfter!.ToString());
        }
        Assert.Equal(10, _upstream.Requests.Count);
    }

    [Fact]
    public async Task A_successful_trial_after_the_break_closes_the_circuit()
    {
        var failing = 1;
        _upstream.Respond = context => Volatile.Read(ref failing) == 1
            ? Replay.Json("""{"error":{"message":"down","type":"server_error"}}""", 500)(context)
            : Replay.Json(Completion)(context);
        var breaker = ", \"retry\": { \"attempts\": 0 }, \"circuitBreaker\": { \"minimumRequests\": 2, \"breakSeconds\": 0.5 }";
        await using var gateway = await TestGateway.StartAsync(ModelMaps.OpenAI(_upstream.V1, providerExtras: breaker));
        await Post.JsonAsync(gateway.Http, Post.Hello);
        await Post.JsonAsync(gateway.Http, Post.Hello);
        var open = await Post.JsonAsync(gateway.Http, Post.Hello);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, open.StatusCode);
        Assert.Equal("1", open.Headers.RetryAfter!.ToString());
        Volatile.Write(ref failing, 0);
        await Task.Delay(TimeSpan.FromMilliseconds(700), TestContext.Current.CancellationToken);

        var trial = await Post.JsonAsync(gateway.Http, Post.Hello);
        var after = await Post.JsonAsync(gateway.Http, Post.Hello);

        Assert.Equal(HttpStatusCode.OK, trial.StatusCode);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        var health = JsonDocument.Parse(await gateway.Http.GetStringAsync("/health", TestContext.Current.CancellationToken)).RootElement;
        Assert.Equal("closed", health.GetProperty("providers").GetProperty("openai/gpt-4o-mini").GetProperty("circuit").GetString());
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
