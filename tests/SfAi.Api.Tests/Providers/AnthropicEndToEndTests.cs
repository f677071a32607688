using System.ClientModel;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using OpenAI;
using OpenAI.Chat;
using SfAi.Api.Tests.ChatCompletions;
using SfAi.Api.Tests.Support;

namespace SfAi.Api.Tests.Providers;

/// <summary>The official OpenAI SDK → gateway → a fake Anthropic upstream replaying captured Messages streams.</summary>
public sealed class AnthropicEndToEndTests : IAsyncLifetime
{
    private const string WeatherTool = """{"type":"object","properties":{"location":{"type":"string"}},"required":["location"]}""";
    private FakeUpstream _upstream = null!;
    private TestGateway _gateway = null!;

    public async ValueTask InitializeAsync()
    {
        _upstream = await FakeUpstream.StartAsync();
        _gateway = await TestGateway.StartAsync(ModelMaps.Anthropic(_upstream.V1));
    }

    public async ValueTask DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    private ChatClient Client() => new("backend", new ApiKeyCredential("k"),
        new OpenAIClientOptions { Endpoint = _gateway.V1, RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(0) });

    private static ChatCompletionOptions WithTool(string name) =>
        new() { Tools = { ChatTool.CreateFunctionTool(name, "Weather", BinaryData.FromString(WeatherTool)) } };

    [Fact]
    public async Task Sends_a_Messages_API_request_with_the_provider_key_and_version()
    {
        _upstream.Respond = Replay.StreamFixture("anthropic/sdk-basic_response.txt");

        await foreach (var _ in Client().CompleteChatStreamingAsync([new SystemChatMessage("Be kind."), new UserChatMessage("Hi")], cancellationToken: TestContext.Current.CancellationToken))
        {
        }

        var sent = _upstream.LastRequest;
        Assert.Equal("/v1/messages", sent.Path);
        Assert.Equal(ModelMaps.AnthropicKey, sent.Headers["x-api-key"]);
        Assert.Equal("2023-06-01", sent.Headers["anthropic-version"]);
        Assert.False(sent.Headers.ContainsKey("Authorization"));
        Assert.Equal("claude-sonnet-4-5", sent.Json["model"]!.GetValue<string>());
        Assert.Equal("Be kind.", sent.Json["system"]![0]!["text"]!.GetValue<string>());
        Assert.Equal(64000, sent.Json["max_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task Keeps_the_upstream_connection_when_the_client_hangs_up_after_DONE() =>
        Assert.Equal(1, await HangingUpClient.UpstreamConnectionsForTwoHangUpsAsync(_upstream, _gateway.V1, "anthropic/sdk-basic_response.txt", "backend"));

    [Fact]
    public async Task Streams_Claude_text_to_the_SDK_as_it_arrives()
    {
        var gap = TimeSpan.FromMilliseconds(60);
        _upstream.Respond = Replay.StreamFixture("anthropic/sdk-basic_response.txt", gap);
        var text = new StringBuilder();
        var arrivals = new List<TimeSpan>();
        var clock = Stopwatch.StartNew();

        await foreach (var update in Client().CompleteChatStreamingAsync([new UserChatMessage("Hi")], cancellationToken: TestContext.Current.CancellationToken))
        {
            foreach (var part in update.ContentUpdate.Where(p => p.Text.Length > 0))
            {
                text.Append(part.Text);
                arrivals.Add(clock.Elapsed);
            }
        }

        Assert.Equal("Hello there!", text.ToString());
        Assert.Equal(3, arrivals.Count);
        Assert.True(arrivals[^1] - arrivals[0] >= gap * 1.5, $"the three text deltas arrived within {(arrivals[^1] - arrivals[0]).TotalMilliseconds} ms: they were buffered");
    }

    [Fact]
    public async Task Streams_a_tool_call_whose_arguments_parse_as_the_expected_object()
    {
        _upstream.Respond = Replay.StreamFixture("anthropic/sdk-tool_use_response.txt", TimeSpan.FromMilliseconds(5));
        var calls = new StreamingToolCallsCollector();
        ChatFinishReason? finish = null;

        await foreach (var update in Client().CompleteChatStreamingAsync([new UserChatMessage("Weather in Paris?")], WithTool("get_weather"), TestContext.Current.CancellationToken))
        {
            calls.Add(update);
            finish ??= update.FinishReason;
        }

        var call = Assert.Single(calls.Build());
        Assert.Equal("toolu_01NRLabsLyVHZPKxbKvkfSMn", call.Id);
        Assert.Equal("get_weather", call.FunctionName);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"location":"Paris"}"""), JsonNode.Parse(call.FunctionArguments.ToString())));
        Assert.Equal(ChatFinishReason.ToolCalls, finish);
    }

    [Fact]
    public async Task Streams_two_parallel_tool_calls_interleaved_with_text()
    {
        _upstream.Respond = Replay.Stream(
        [
            """event: message_start""" + "\n" + """data: {"type":"message_start","message":{"id":"msg_par","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"usage":{"input_tokens":50,"output_tokens":1}}}""",
            """data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}""",
            """data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Checking both."}}""",
            """data: {"type":"content_block_stop","index":0}""",
            """data: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_paris","name":"weather","input":{}}}""",
            """data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"loca"}}""",
            """data: {"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"toolu_rome","name":"weather","input":{}}}""",
            """data: {"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"{\"location\": \"Ro"}}""",
            """data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"tion\": \"Paris\"}"}}""",
            """data: {"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"me\"}"}}""",
            """data: {"type":"content_block_stop","index":1}""",
            """data: {"type":"content_block_stop","index":2}""",
            """data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":40}}""",
            """data: {"type":"message_stop"}""",
        ], TimeSpan.FromMilliseconds(5));
        var calls = new StreamingToolCallsCollector();
        var text = new StringBuilder();

        await foreach (var update in Client().CompleteChatStreamingAsync([new UserChatMessage("Paris and Rome?")], WithTool("weather"), TestContext.Current.CancellationToken))
        {
            calls.Add(update);
            text.Append(string.Concat(update.ContentUpdate.Select(p => p.Text)));
        }

        var built = calls.Build();
        Assert.Equal("Checking both.", text.ToString());
        Assert.Equal(["toolu_paris", "toolu_rome"], built.Select(c => c.Id));
        Assert.Equal("Paris", JsonNode.Parse(built[0].FunctionArguments.ToString())!["location"]!.GetValue<string>());
        Assert.Equal("Rome", JsonNode.Parse(built[1].FunctionArguments.ToString())!["location"]!.GetValue<string>());
    }

    [Fact]
    public async Task Streams_thinking_as_reasoning_content_before_the_tool_call()
    {
        _upstream.Respond = Replay.StreamFixture("anthropic/messages-stream-thinking-then-tool-use.txt");

        var response = await Post.JsonAsync(_gateway.Http, """
            {"model":"backend","stream":true,"reasoning_effort":"medium","messages":[{"role":"user","content":"What's the weather in Florence, Italy?"}],
             "tools":[{"type":"function","function":{"name":"weather","parameters":{"type":"object","properties":{"location":{"type":"string"}}}}}]}
            """);
        var events = (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);

        var reasoning = string.Concat(events.Where(e => e.Contains("reasoning_content", StringComparison.Ordinal))
            .Select(e => JsonNode.Parse(e["data: ".Length..])!["choices"]![0]!["delta"]!["reasoning_content"]!.GetValue<string>()));
        Assert.StartsWith("The user is asking for weather information for Florence, Italy.", reasoning, StringComparison.Ordinal);
        var firstToolCall = Array.FindIndex(events, e => e.Contains("tool_calls", StringComparison.Ordinal));
        var lastReasoning = Array.FindLastIndex(events, e => e.Contains("reasoning_content", StringComparison.Ordinal));
        Assert.True(lastReasoning < firstToolCall);
        Assert.Equal(8192, _upstream.LastRequest.Json["thinking"]!["budget_tokens"]!.GetValue<int>());
        Assert.Equal("data: [DONE]", events[^1]);
    }

    [Fact]
    public async Task Ends_with_an_error_event_and_logs_llm_error_when_Claude_fails_mid_stream()
    {
        var events = Replay.Events("anthropic/sdk-basic_response.txt").Take(4).ToList();
        events.Add("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}");
        _upstream.Respond = Replay.Stream(events);

        var response = await Post.JsonAsync(_gateway.Http, """{"model":"backend","stream":true,"messages":[{"role":"user","content":"Hi"}]}""");
        var body = (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Contains("\"content\":\"Hello\"", body[1], StringComparison.Ordinal);
        Assert.Equal("""data: {"error":{"message":"The upstream provider 'anthropic' is overloaded: Overloaded","type":"server_error","param":null,"code":"overloaded"}}""", body[^2]);
        Assert.Equal("data: [DONE]", body[^1]);
        var logged = Assert.Single(await _gateway.Logs.WaitForAsync("llm_error"));
        Assert.Equal(503, logged.GetProperty("status").GetInt32());
        Assert.Empty(_gateway.Logs.Events("chat_completion"));
    }

    [Fact]
    public async Task Cancels_the_Anthropic_call_when_the_client_disconnects()
    {
        _upstream.Respond = Replay.Stream(Replay.Events("anthropic/sdk-basic_response.txt"),
            beforeEvent: (i, aborted) => i == 3 ? Task.Delay(Timeout.Infinite, aborted) : Task.CompletedTask);
        using var http = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = _gateway.BaseUrl };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent("""{"model":"backend","stream":true,"messages":[{"role":"user","content":"Hi"}]}""", Encoding.UTF8, "application/json"),
        };
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken));
        Assert.Contains("\"role\":\"assistant\"", await reader.ReadLineAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);

        reader.Dispose();
        response.Dispose();

        await _upstream.UpstreamCancelled.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal("client_closed", Assert.Single(await _gateway.Logs.WaitForAsync("llm_error")).GetProperty("errorType").GetString());
    }

    [Fact]
    public async Task Returns_a_translated_completion_to_the_SDK()
    {
        _upstream.Respond = Replay.Json("""
            {"id":"msg_01","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929",
             "content":[{"type":"text","text":"Bonjour !"}],"stop_reason":"end_turn","stop_sequence":null,
             "usage":{"input_tokens":100,"cache_read_input_tokens":1000,"cache_creation_input_tokens":200,"output_tokens":50}}
            """);

        ChatCompletion completion = await Client().CompleteChatAsync([new UserChatMessage("Say hello in French")], cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("Bonjour !", completion.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal(1300, completion.Usage.InputTokenCount);
        Assert.Equal(1000, completion.Usage.InputTokenDetails.CachedTokenCount);
    }

    [Fact]
    public async Task Prices_cache_reads_and_writes_at_their_own_rates_in_the_log()
    {
        _upstream.Respond = Replay.Json("""
            {"id":"msg_01","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929",
             "content":[{"type":"text","text":"ok"}],"stop_reason":"end_turn",
             "usage":{"input_tokens":100,"cache_read_input_tokens":1000,"cache_creation_input_tokens":200,"output_tokens":50}}
            """);

        await Post.JsonAsync(_gateway.Http, """{"model":"backend","messages":[{"role":"user","content":"Hi"}]}""");

        var logged = Assert.Single(await _gateway.Logs.WaitForAsync("chat_completion"));
        Assert.Equal(1300, logged.GetProperty("tokensIn").GetInt32());
        Assert.Equal(1000, logged.GetProperty("cachedTokensIn").GetInt32());
        // claude-sonnet-4-5: 100 × $3 + 1000 cache reads × $0.30 + 200 cache writes × $3.75 + 50 out × $15, per 1M tokens.
        Assert.Equal(0.0021m, logged.GetProperty("costUsd").GetDecimal());
    }

    [Fact]
    public async Task Relays_a_rate_limit_as_429_with_Retry_After()
    {
        var captured = JsonNode.Parse(Replay.Fixture("anthropic/real-error-429-rate_limit.json"))!;
        _upstream.Respond = Replay.Json(captured["body"]!.ToJsonString(), 429, r => r.Headers.RetryAfter = "17");

        var response = await Post.JsonAsync(_gateway.Http, """{"model":"backend","messages":[{"role":"user","content":"Hi"}]}""");

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("17", response.Headers.RetryAfter!.ToString());
        var error = await Post.ErrorAsync(response);
        Assert.Equal("rate_limit_exceeded", error.GetProperty("code").GetString());
        Assert.StartsWith("This request would exceed your organization's rate limit", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Turns_an_overloaded_Claude_into_a_503()
    {
        _upstream.Respond = Replay.Json("""{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}""", 529);

        var response = await Post.JsonAsync(_gateway.Http, """{"model":"backend","messages":[{"role":"user","content":"Hi"}]}""");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("overloaded", (await Post.ErrorAsync(response)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Refuses_an_unsupported_parameter_without_calling_Claude()
    {
        var response = await Post.JsonAsync(_gateway.Http, """{"model":"backend","n":3,"messages":[{"role":"user","content":"Hi"}]}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("n", (await Post.ErrorAsync(response)).GetProperty("param").GetString());
        Assert.Empty(_upstream.Requests);
    }

    [Fact]
    public async Task Drops_a_sampling_hint_Claude_has_no_use_for_and_names_it_in_the_log()
    {
        _upstream.Respond = Replay.Json("""
            {"id":"msg_01","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929",
             "content":[{"type":"text","text":"Hi"}],"stop_reason":"end_turn","stop_sequence":null,
             "usage":{"input_tokens":10,"output_tokens":1}}
            """);

        var response = await Post.JsonAsync(_gateway.Http, """{"model":"backend","seed":7,"presence_penalty":0.2,"messages":[{"role":"user","content":"Hi"}]}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(_upstream.LastRequest.Json.ContainsKey("seed"));
        var logged = Assert.Single(await _gateway.Logs.WaitForAsync("chat_completion"));
        Assert.Equal(["seed", "presence_penalty"], logged.GetProperty("droppedParameters").EnumerateArray().Select(e => e.GetString()!).ToArray());
    }
}
