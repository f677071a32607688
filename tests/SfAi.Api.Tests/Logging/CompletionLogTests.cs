using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using SfAi.Api.Tests.Support;

namespace SfAi.Api.Tests.Logging;

/// <summary>The <c>chat_completion</c> event, field by field, as the compact JSON line CloudWatch receives.</summary>
public sealed class CompletionLogTests : IAsyncLifetime
{
    private const string LongHistory = """
        {"model":"frontend","messages":[
          {"role":"system","content":"You are a careful assistant."},
          {"role":"user","content":"First question?"},
          {"role":"assistant","content":"First answer."},
          {"role":"user","content":[{"type":"text","text":"Look at"},{"type":"image_url","image_url":{"url":"https://example.com/a.png"}},{"type":"text","text":"this picture, please."}]}
        ]}
        """;

    private FakeUpstream _upstream = null!;
    private TestGateway _gateway = null!;

    public async ValueTask InitializeAsync()
    {
        _upstream = await FakeUpstream.StartAsync(Replay.Json(Replay.Fixture("openai/chat-completion.json")));
        _gateway = await TestGateway.StartAsync(ModelMaps.OpenAI(_upstream.V1));
    }

    public async ValueTask DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    private async Task<JsonElement> CompleteAsync(string body, Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        configure?.Invoke(request);
        using var response = await _gateway.Http.SendAsync(request, TestContext.Current.CancellationToken);
        await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return Assert.Single(await _gateway.Logs.WaitForAsync("chat_completion"));
    }

    [Fact]
    public async Task Logs_routing_status_and_request_id()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = JsonContent.Create(JsonNode.Parse(Post.Hello)) };
        using var response = await _gateway.Http.SendAsync(request, TestContext.Current.CancellationToken);

        var logged = Assert.Single(await _gateway.Logs.WaitForAsync("chat_completion"));
        Assert.Equal(response.Headers.GetValues("x-request-id").Single(), logged.GetProperty("requestId").GetString());
        Assert.Equal("frontend", logged.GetProperty("alias").GetString());
        Assert.Equal("openai", logged.GetProperty("provider").GetString());
        Assert.Equal("gpt-4o-mini", logged.GetProperty("upstreamModel").GetString());
        Assert.False(logged.GetProperty("stream").GetBoolean());
        Assert.Equal(200, logged.GetProperty("status").GetInt32());
        Assert.Equal("stop", logged.GetProperty("finishReason").GetString());
        Assert.True(logged.GetProperty("latencyMs").GetDouble() > 0);
        Assert.Equal(JsonValueKind.Null, logged.GetProperty("ttftMs").ValueKind);
    }

    [Fact]
    public async Task Logs_the_latest_user_message_flattened_from_content_parts()
    {
        var logged = await CompleteAsync(LongHistory);

        Assert.Equal("Look at\nthis picture, please.", logged.GetProperty("latestUserMessage").GetString());
        Assert.Equal("Look at\nthis picture, please.".Length, logged.GetProperty("latestUserMessageLength").GetInt32());
    }

    [Fact]
    public async Task Logs_the_last_200_characters_of_the_conversation_as_context_tail()
    {
        var earlier = new string('a', 300);
        var logged = await CompleteAsync($$"""{"model":"frontend","messages":[{"role":"user","content":"{{earlier}}"},{"role":"assistant","content":"ok"},{"role":"user","content":"last"}]}""");

        var expected = (earlier + "\nok\nlast")[^200..];
        Assert.Equal(expected, logged.GetProperty("contextTailPreview").GetString());
    }

    [Fact]
    public async Task Logs_upstream_usage_and_its_cost()
    {
        var logged = await CompleteAsync(Post.Hello);

        Assert.Equal(1117, logged.GetProperty("tokensIn").GetInt32());
        Assert.Equal(46, logged.GetProperty("tokensOut").GetInt32());
        Assert.Equal(1024, logged.GetProperty("cachedTokensIn").GetInt32());
        Assert.False(logged.GetProperty("tokensEstimated").GetBoolean());
        // gpt-4o-mini: 93 uncached × $0.15 + 1024 cached × $0.075 + 46 out × $0.60, per 1M tokens.
        Assert.Equal(0.000118m, logged.GetProperty("costUsd").GetDecimal());
    }

    [Fact]
    public async Task Counts_tokens_and_marks_them_estimated_when_the_upstream_reports_no_usage()
    {
        _upstream.Respond = Replay.Json("""{"id":"x","object":"chat.completion","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":"hello world"},"finish_reason":"stop"}]}""");

        var logged = await CompleteAsync(Post.Hello);

        Assert.True(logged.GetProperty("tokensEstimated").GetBoolean());
        Assert.Equal(2, logged.GetProperty("tokensOut").GetInt32());
        Assert.Equal(8, logged.GetProperty("tokensIn").GetInt32());
    }

    [Fact]
    public async Task Logs_time_to_first_token_and_usage_for_streams_whose_client_did_not_ask_for_usage()
    {
        _upstream.Respond = Replay.StreamFixture("openai/chat-stream-text-with-usage.txt");

        var logged = await CompleteAsync(Post.HelloStream);

        Assert.True(logged.GetProperty("stream").GetBoolean());
        Assert.True(logged.GetProperty("ttftMs").GetDouble() > 0);
        Assert.Equal(14, logged.GetProperty("tokensIn").GetInt32());
        Assert.Equal(30, logged.GetProperty("tokensOut").GetInt32());
        Assert.False(logged.GetProperty("tokensEstimated").GetBoolean());
        Assert.Equal("stop", logged.GetProperty("finishReason").GetString());
    }

    [Fact]
    public async Task Logs_the_client_user_agent_and_origin()
    {
        var logged = await CompleteAsync(Post.Hello, request =>
        {
            request.Headers.UserAgent.ParseAdd("Continue/1.2");
            request.Headers.Add("Origin", "https://app.example.com");
        });

        Assert.Equal("Continue/1.2", logged.GetProperty("userAgent").GetString());
        Assert.Equal("https://app.example.com", logged.GetProperty("origin").GetString());
    }

    [Fact]
    public async Task Writes_chat_completion_as_the_event_name_and_message()
    {
        var logged = await CompleteAsync(Post.Hello);

        Assert.Equal("chat_completion", logged.GetProperty("@mt").GetString());
        Assert.False(logged.TryGetProperty("@l", out _), "chat_completion is an Information event");
    }
}
