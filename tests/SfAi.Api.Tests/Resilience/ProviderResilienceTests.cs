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
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(300), $"answered after {clock.Elapsed.TotalMilliseconds} ms, before the 300 ms the upstream asked for");
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
        Assert.Equal("open", health.GetProperty("providers").GetProperty("openai").GetProperty("circuit").GetString());
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
