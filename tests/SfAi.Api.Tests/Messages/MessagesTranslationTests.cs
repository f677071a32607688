using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Anthropic.Models.Messages;
using SfAi.Api.Tests.Support;

namespace SfAi.Api.Tests.Messages;

/// <summary>The Anthropic SDK and Claude Code → gateway → a fake OpenAI upstream: the request through the pivot, the answer back as Messages.</summary>
public sealed class MessagesTranslationTests : IAsyncLifetime
{
    private const string PersonTool = """
        {"name":"GetPersonAge","description":"The age of a person","input_schema":{"type":"object","properties":{"personName":{"type":"string"}},"required":["personName"]}}
        """;

    private FakeUpstream _upstream = null!;
    private TestGateway _gateway = null!;

    public async ValueTask InitializeAsync()
    {
        _upstream = await FakeUpstream.StartAsync();
        _gateway = await TestGateway.StartAsync(ModelMaps.OpenAI(_upstream.V1, providerExtras: """, "retry": { "attempts": 0 }"""));
    }

    public async ValueTask DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Fact]
    public async Task The_SDK_gets_a_chat_completion_as_a_message()
    {
        _upstream.Respond = Replay.Json(Replay.Fixture("openai/chat-completion.json"));

        var message = await MessagesClients.Sdk(_gateway).Messages.Create(new MessageCreateParams
        {
            Model = "frontend",
            MaxTokens = 300,
            System = "Be brief.",
            StopSequences = ["END"],
            Messages = [new UserMessageParam("Describe the image.")],
        }, TestContext.Current.CancellationToken);

        Assert.StartsWith("msg_", message.ID, StringComparison.Ordinal);
        Assert.True(message.Content[0].TryPickText(out var text));
        Assert.Equal("The image shows a wooden boardwalk path running through a lush green field or meadow.", text!.Text);
        Assert.Equal("end_turn", message.StopReason?.Raw());
        Assert.Equal(93, message.Usage.InputTokens);
        Assert.Equal(1024, message.Usage.CacheReadInputTokens);
        Assert.Equal(46, message.Usage.OutputTokens);

        var sent = _upstream.LastRequest;
        Assert.Equal("/v1/chat/completions", sent.Path);
        Assert.Equal("Bearer " + ModelMaps.UpstreamKey, sent.Headers["Authorization"]);
        Assert.Equal("gpt-4o-mini", sent.Json["model"]!.GetValue<string>());
        Assert.Equal("""[{"role":"system","content":"Be brief."},{"role":"user","content":"Describe the image."}]""", sent.Json["messages"]!.ToJsonString());
        Assert.Equal(300, sent.Json["max_tokens"]!.GetValue<int>());
        Assert.Equal("""["END"]""", sent.Json["stop"]!.ToJsonString());
    }

    [Fact]
    public async Task The_SDK_streams_chat_chunks_as_Messages_events_with_usage()
    {
        _upstream.Respond = Replay.StreamFixture("openai/chat-stream-include-usage.txt");
        var text = new StringBuilder();
        var kinds = new List<string>();
        long? outputTokens = null;

        await foreach (var streamed in MessagesClients.Sdk(_gateway).Messages.CreateStreaming(new MessageCreateParams
        {
            Model = "frontend",
            MaxTokens = 100,
            Messages = [new UserMessageParam("Hi")],
        }, TestContext.Current.CancellationToken))
        {
            kinds.Add(streamed.Match(_ => "message_start", _ => "message_delta", _ => "message_stop", _ => "content_block_start", _ => "content_block_delta", _ => "content_block_stop"));
            if (streamed.TryPickContentBlockDelta(out var delta) && delta.Delta.TryPickText(out var t))
            {
                text.Append(t.Text);
            }
            if (streamed.TryPickDelta(out var messageDelta))
            {
                outputTokens = messageDelta.Usage.OutputTokens;
                Assert.Equal("end_turn", messageDelta.Delta.StopReason?.Raw());
            }
        }

        Assert.Equal("Hello! How can I assist you today?", text.ToString());
        Assert.Equal("message_start", kinds[0]);
        Assert.Equal("content_block_start", kinds[1]);
        Assert.Equal(["content_block_stop", "message_delta", "message_stop"], kinds[^3..]);
        Assert.True(outputTokens > 0);
        Assert.True(_upstream.LastRequest.Json["stream_options"]!["include_usage"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_tool_call_streams_as_tool_use_with_input_json_and_its_result_goes_back_as_a_tool_message()
    {
        _upstream.Respond = Replay.StreamFixture("openai/chat-stream-tool-call-include-usage.txt");
        var tool = Tool.FromRawUnchecked(JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(PersonTool)!);
        string? toolId = null, toolName = null;
        var input = new StringBuilder();
        string? stop = null;

        await foreach (var streamed in MessagesClients.Sdk(_gateway).Messages.CreateStreaming(new MessageCreateParams
        {
            Model = "frontend",
            MaxTokens = 100,
            Tools = [tool],
            Messages = [new UserMessageParam("How old is Alice?")],
        }, TestContext.Current.CancellationToken))
        {
            if (streamed.TryPickContentBlockStart(out var start) && start.ContentBlock.TryPickToolUse(out var use))
            {
                (toolId, toolName) = (use.ID, use.Name);
            }
            if (streamed.TryPickContentBlockDelta(out var delta) && delta.Delta.TryPickInputJson(out var json))
            {
                input.Append(json.PartialJson);
            }
            if (streamed.TryPickDelta(out var messageDelta))
            {
                stop = messageDelta.Delta.StopReason?.Raw();
            }
        }

        Assert.Equal("call_F9ZaqPWo69u0urxAhVt8meDW", toolId);
        Assert.Equal("GetPersonAge", toolName);
        Assert.Equal("Alice", JsonNode.Parse(input.ToString())!["personName"]!.GetValue<string>());
        Assert.Equal("tool_use", stop);
        Assert.Equal("""[{"type":"function","function":{"name":"GetPersonAge","description":"The age of a person","parameters":{"type":"object","properties":{"personName":{"type":"string"}},"required":["personName"]}}}]""",
            _upstream.LastRequest.Json["tools"]!.ToJsonString());

        _upstream.Respond = Replay.Json(Replay.Fixture("openai/chat-completion.json"));
        using var response = await MessagesClients.PostAsClaudeCodeAsync(_gateway, $$$"""
            {"model":"frontend","max_tokens":100,"tools":[{{{PersonTool}}}],"messages":[
              {"role":"user","content":"How old is Alice?"},
              {"role":"assistant","content":[{"type":"thinking","thinking":"secret","signature":"sig"},{"type":"tool_use","id":"{{{toolId}}}","name":"GetPersonAge","input":{"personName":"Alice"}}]},
              {"role":"user","content":[{"type":"tool_result","tool_use_id":"{{{toolId}}}","content":[{"type":"text","text":"42"}]},{"type":"text","text":"Thanks"}]}]}
            """);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var messages = _upstream.LastRequest.Json["messages"]!.AsArray();
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse($$$"""{"role":"assistant","content":null,"tool_calls":[{"id":"{{{toolId}}}","type":"function","function":{"name":"GetPersonAge","arguments":"{\"personName\":\"Alice\"}"}}]}"""), messages[1]));
        Assert.Equal($$$"""{"role":"tool","tool_call_id":"{{{toolId}}}","content":"42"}""", messages[2]!.ToJsonString());
        Assert.Equal("""{"role":"user","content":"Thanks"}""", messages[3]!.ToJsonString());
        Assert.DoesNotContain("secret", _upstream.LastRequest.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_captured_Claude_Code_request_becomes_a_valid_OpenAI_request_and_gets_a_Messages_stream()
    {
        _upstream.Respond = Replay.StreamFixture("openai/chat-stream-include-usage.txt");

        using var response = await MessagesClients.PostAsClaudeCodeAsync(_gateway, MessagesClients.ClaudeCodeBody("frontend"));
        var sse = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = _upstream.LastRequest.Json;
        string[] openAIFields = ["model", "messages", "max_tokens", "temperature", "top_p", "stop", "stream", "stream_options", "tools", "tool_choice", "parallel_tool_calls", "user"];
        Assert.All(sent.Select(field => field.Key), key => Assert.Contains(key, openAIFields));
        Assert.Equal("gpt-4o-mini", sent["model"]!.GetValue<string>());
        Assert.Equal("system", sent["messages"]![0]!["role"]!.GetValue<string>());
        Assert.All(sent["messages"]!.AsArray(), message => Assert.Contains(message!["role"]!.GetValue<string>(), new[] { "system", "user", "assistant", "tool" }));
        Assert.Contains(sent["messages"]!.AsArray().Skip(1), message => message!["role"]!.GetValue<string>() == "system");
        Assert.All(sent["tools"]!.AsArray(), tool => Assert.Equal("function", tool!["type"]!.GetValue<string>()));
        Assert.NotNull(sent["user"]);
        Assert.DoesNotContain("cache_control", _upstream.LastRequest.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("signature", _upstream.LastRequest.Body, StringComparison.Ordinal);

        var events = MessagesClients.Events(sse);
        Assert.Equal("message_start", events[0].Name);
        Assert.Equal(("message_stop", """{"type":"message_stop"}"""), events[^1]);
        Assert.All(events, e => Assert.Equal(e.Name, JsonNode.Parse(e.Data)!["type"]!.GetValue<string>()));
    }

    [Fact]
    public async Task What_the_translation_leaves_out_is_named_in_the_log_not_dropped_silently()
    {
        _upstream.Respond = Replay.Json(Replay.Fixture("openai/chat-completion.json"));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages")
        {
            Content = new StringContent("""
                {"model":"frontend","max_tokens":3000,"top_k":40,"thinking":{"type":"enabled","budget_tokens":2048},
                 "service_tier":null,"messages":[{"role":"user","content":"Think, then answer."}]}
                """, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("anthropic-version", "2023-06-01");

        using var response = await _gateway.Http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(_upstream.LastRequest.Json["top_k"]);
        Assert.Null(_upstream.LastRequest.Json["thinking"]);
        var logged = Assert.Single(await _gateway.Logs.WaitForAsync("chat_completion"));
        Assert.Equal(["top_k", "thinking"], logged.GetProperty("droppedParameters").EnumerateArray().Select(p => p.GetString()));
    }

    [Fact]
    public async Task The_echo_alias_answers_a_Messages_client()
    {
        var message = await MessagesClients.Sdk(_gateway).Messages.Create(new MessageCreateParams
        {
            Model = "echo",
            MaxTokens = 100,
            Messages = [new UserMessageParam("Ping")],
        }, TestContext.Current.CancellationToken);

        Assert.True(message.Content[0].TryPickText(out var text));
        Assert.Equal("You said: Ping", text!.Text);
    }

    [Fact]
    public async Task Count_tokens_for_an_OpenAI_alias_is_the_gateways_estimate_and_says_so()
    {
        var count = await MessagesClients.Sdk(_gateway).Messages.CountTokens(new MessageCountTokensParams
        {
            Model = "frontend",
            System = "Be brief.",
            Messages = [new UserMessageParam("How old is Alice?")],
        }, TestContext.Current.CancellationToken);

        Assert.InRange(count.InputTokens, 10, 30);
        Assert.Empty(_upstream.Requests);
        using var raw = await MessagesClients.PostAsClaudeCodeAsync(_gateway, """{"model":"frontend","messages":[{"role":"user","content":"Hi"}]}""", "/v1/messages/count_tokens?beta=true");
        Assert.Equal(HttpStatusCode.OK, raw.StatusCode);
        Assert.StartsWith("estimate", raw.Headers.GetValues("x-sfai-token-count").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stream_that_breaks_off_ends_with_an_Anthropic_error_event()
    {
        _upstream.Respond = Replay.Stream([.. Replay.Events("openai/chat-stream-include-usage.txt").Take(3)]);

        using var response = await MessagesClients.PostAsClaudeCodeAsync(_gateway,
            """{"model":"frontend","max_tokens":50,"stream":true,"messages":[{"role":"user","content":"Hi"}]}""");
        var events = MessagesClients.Events(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        Assert.Equal("message_start", events[0].Name);
        Assert.Equal("error", events[^1].Name);
        var error = JsonNode.Parse(events[^1].Data)!;
        Assert.Equal("error", error["type"]!.GetValue<string>());
        Assert.Equal("api_error", error["error"]!["type"]!.GetValue<string>());
        Assert.DoesNotContain(events, e => e.Name == "message_stop");
        Assert.Equal("upstream_error", (await _gateway.Logs.WaitForAsync("llm_error"))[0].GetProperty("errorType").GetString());
    }
}
