using System.ClientModel;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using OpenAI;
using OpenAI.Chat;
using SfAi.Api.Tests.Support;

namespace SfAi.Api.Tests.ChatCompletions;

/// <summary>What the client gets, and what is logged, when the upstream fails in each way.</summary>
public sealed class UpstreamFailureTests : IAsyncLifetime
{
    private const string RateLimitBody = """{"error":{"message":"Rate limit reached for gpt-4o-mini on requests per min (RPM): Limit 3, Used 3, Requested 1.","type":"requests","param":null,"code":"rate_limit_exceeded"}}""";
    private FakeUpstream _upstream = null!;
    private TestGateway _gateway = null!;

    public async ValueTask InitializeAsync()
    {
        _upstream = await FakeUpstream.StartAsync();
        _gateway = await TestGateway.StartAsync(ModelMaps.OpenAI(_upstream.V1, timeoutSeconds: 0.5, providerExtras: ", \"retry\": { \"baseDelayMs\": 5 }"));
    }

    public async ValueTask DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Fact]
    public async Task Passes_an_upstream_429_through_with_its_body_and_Retry_After()
    {
        _upstream.Respond = Replay.Json(RateLimitBody, 429, r => r.Headers.RetryAfter = "20");

        var response = await Post.JsonAsync(_gateway.Http, Post.Hello);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("20", response.Headers.RetryAfter!.ToString());
        Assert.Equal(RateLimitBody, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Shows_an_upstream_429_to_the_SDK_as_a_rate_limit_error()
    {
        _upstream.Respond = Replay.Json(RateLimitBody, 429);
        var client = new ChatClient("frontend", new ApiKeyCredential("k"),
            new OpenAIClientOptions { Endpoint = _gateway.V1, RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(0) });

        var error = await Assert.ThrowsAsync<ClientResultException>(() => client.CompleteChatAsync([new UserChatMessage("hi")], cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(429, error.Status);
        Assert.Contains("Rate limit reached", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Turns_an_upstream_500_into_a_502()
    {
        _upstream.Respond = Replay.Json("""{"error":{"message":"The server had an error while processing your request.","type":"server_error","param":null,"code":null}}""", 500);

        var response = await Post.JsonAsync(_gateway.Http, Post.Hello);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var error = await Post.ErrorAsync(response);
        Assert.Equal("upstream_unavailable", error.GetProperty("code").GetString());
        Assert.Contains("HTTP 500: The server had an error", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Turns_an_answer_that_ends_before_its_announced_length_into_a_502()
    {
        _upstream.Respond = async context =>
        {
            context.Response.ContentType = "application/json";
            context.Response.ContentLength = 500;
            await context.Response.WriteAsync("""{"id":"chatcmpl-1","object":"chat.completion","choices":[""", context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            context.Abort();
        };

        var response = await Post.JsonAsync(_gateway.Http, Post.Hello);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("upstream_unavailable", (await Post.ErrorAsync(response)).GetProperty("code").GetString());
        Assert.Empty(_gateway.Logs.Events("chat_completion"));
    }

    [Fact]
    public async Task Turns_a_refused_connection_into_a_502()
    {
        var closedPort = FreePort();
        await using var gateway = await TestGateway.StartAsync(ModelMaps.OpenAI($"http://127.0.0.1:{closedPort}/v1"));

        var response = await Post.JsonAsync(gateway.Http, Post.Hello);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("upstream_unavailable", (await Post.ErrorAsync(response)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Turns_an_upstream_that_does_not_answer_into_a_504()
    {
        _upstream.Respond = context => Task.Delay(Timeout.Infinite, context.RequestAborted);

        var response = await Post.JsonAsync(_gateway.Http, Post.Hello);

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("upstream_timeout", (await Post.ErrorAsync(response)).GetProperty("code").GetString());
        var logged = Assert.Single(await _gateway.Logs.WaitForAsync("llm_error"));
        Assert.Equal("timeout", logged.GetProperty("errorType").GetString());
    }

    [Fact]
    public async Task Ends_a_stream_that_stalls_with_an_error_event()
    {
        var events = Replay.Events("openai/chat-stream-include-usage.txt");
        _upstream.Respond = Replay.Stream(events, beforeEvent: (i, aborted) => i == 2 ? Task.Delay(Timeout.Infinite, aborted) : Task.CompletedTask);

        var response = await Post.JsonAsync(_gateway.Http, Post.HelloStream);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.StartsWith(events[0] + "\n\n" + events[1] + "\n\n", body, StringComparison.Ordinal);
        Assert.Contains("\"code\":\"upstream_timeout\"", body, StringComparison.Ordinal);
        var logged = Assert.Single(await _gateway.Logs.WaitForAsync("llm_error"));
        Assert.Equal("timeout", logged.GetProperty("errorType").GetString());
        Assert.Empty(_gateway.Logs.Events("chat_completion"));
    }

    [Fact]
    public async Task Ends_a_stream_whose_upstream_dies_with_an_error_event()
    {
        var events = Replay.Events("openai/chat-stream-include-usage.txt");
        _upstream.Respond = Replay.Stream(events, beforeEvent: (i, _) =>
        {
            if (i == 2)
            {
                throw new InvalidOperationException("upstream process died");
            }
            return Task.CompletedTask;
        });

        var response = await Post.JsonAsync(_gateway.Http, Post.HelloStream);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.StartsWith(events[0] + "\n\n", body, StringComparison.Ordinal);
        Assert.Contains("\"code\":\"upstream_unavailable\"", body, StringComparison.Ordinal);
        var logged = Assert.Single(await _gateway.Logs.WaitForAsync("llm_error"));
        Assert.Equal("upstream_error", logged.GetProperty("errorType").GetString());
    }

    [Fact]
    public async Task Cancels_the_upstream_call_when_the_client_disconnects()
    {
        var events = Replay.Events("openai/chat-stream-include-usage.txt");
        _upstream.Respond = Replay.Stream(events, beforeEvent: (i, aborted) => i == 1 ? Task.Delay(Timeout.Infinite, aborted) : Task.CompletedTask);
        await using var gateway = await TestGateway.StartAsync(ModelMaps.OpenAI(_upstream.V1, timeoutSeconds: 60));
        using var http = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = gateway.BaseUrl };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = new StringContent(Post.HelloStream, System.Text.Encoding.UTF8, "application/json") };
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken));
        Assert.Equal(events[0], await reader.ReadLineAsync(TestContext.Current.CancellationToken));

        reader.Dispose();
        response.Dispose();

        await _upstream.UpstreamCancelled.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        var logged = Assert.Single(await gateway.Logs.WaitForAsync("llm_error"));
        Assert.Equal("client_closed", logged.GetProperty("errorType").GetString());
    }

    [Fact]
    public async Task Fails_with_503_naming_the_key_source_when_the_provider_key_is_missing()
    {
        var map = ModelMaps.OpenAI(_upstream.V1).Replace(ModelMaps.KeyVariable, "SFAI_TEST_KEY_THAT_IS_NOT_SET", StringComparison.Ordinal);
        await using var gateway = await TestGateway.StartAsync(map);

        var response = await Post.JsonAsync(gateway.Http, Post.Hello);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var error = await Post.ErrorAsync(response);
        Assert.Equal("provider_key_missing", error.GetProperty("code").GetString());
        Assert.Contains("SFAI_TEST_KEY_THAT_IS_NOT_SET", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty(_upstream.Requests);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
