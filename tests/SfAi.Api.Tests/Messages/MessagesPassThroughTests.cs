using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Anthropic.Exceptions;
using Anthropic.Models.Messages;
using SfAi.Api.Tests.Support;

namespace SfAi.Api.Tests.Messages;

/// <summary>The Anthropic SDK and Claude Code → gateway → a fake Anthropic upstream: the client's request passed through, only <c>model</c> rewritten.</summary>
public sealed class MessagesPassThroughTests : IAsyncLifetime
{
    private const string Answer = """
        {"id":"msg_01XFDUDYJgAACzvnptvVoYEL","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[{"type":"text","text":"Hello!"}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":12,"cache_creation_input_tokens":100,"cache_read_input_tokens":1000,"output_tokens":6},"unknown_field":{"kept":true}}
        """;

    private FakeUpstream _upstream = null!;
    private TestGateway _gateway = null!;

    public async ValueTask InitializeAsync()
    {
        _upstream = await FakeUpstream.StartAsync();
        _gateway = await TestGateway.StartAsync(AnthropicMap(_upstream.V1));
        System.Runtime.CompilerServices.RuntimeHelpers.RunClassConstructor(typeof(ModelMaps).TypeHandle);
    }

    public async ValueTask DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    private static string AnthropicMap(string upstreamV1) => $$"""
        {
          "providers": {
            "anthropic": { "type": "anthropic", "baseUrl": "{{upstreamV1}}", "apiKey": { "env": "{{ModelMaps.AnthropicKeyVariable}}" }, "retry": { "attempts": 0 } }
          },
          "aliases": {
            "backend": { "provider": "anthropic", "model": "claude-sonnet-4-5", "request": { "dropBetas": ["context-management-2025-06-27"] } },
            "small": { "provider": "anthropic", "model": "claude-haiku-4-5", "maxOutputTokens": 8192 }
          }
        }
        """;

    [Fact]
    public async Task The_SDK_gets_the_upstream_answer_as_it_came_and_the_upstream_the_provider_key()
    {
        _upstream.Respond = Replay.Json(Answer);

        var message = await MessagesClients.Sdk(_gateway).Messages.Create(new MessageCreateParams
        {
            Model = "backend",
            MaxTokens = 100,
            Messages = [new UserMessageParam("Hi")],
        }, TestContext.Current.CancellationToken);

        Assert.Equal("msg_01XFDUDYJgAACzvnptvVoYEL", message.ID);
        Assert.True(message.Content[0].TryPickText(out var text));
        Assert.Equal("Hello!", text!.Text);
        var sent = _upstream.LastRequest;
        Assert.Equal("/v1/messages", sent.Path);
        Assert.Equal(ModelMaps.AnthropicKey, sent.Headers["x-api-key"]);
        Assert.False(sent.Headers.ContainsKey("Authorization"));
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", sent.Headers["anthropic-version"]);
        Assert.Equal("claude-sonnet-4-5", sent.Json["model"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_body_goes_upstream_byte_for_byte_but_for_model_with_thinking_signatures_and_unknown_fields()
    {
        _upstream.Respond = Replay.Json(Answer);
        var fixture = JsonNode.Parse(Replay.Fixture("anthropic/messages-request-tool-result-with-signed-thinking.json"))!.AsObject();
        fixture["model"] = "backend";
        fixture["stream"] = false;
        fixture["some_future_field"] = new JsonObject { ["x"] = 1 };
        var body = fixture.ToJsonString();

        using var response = await MessagesClients.PostAsClaudeCodeAsync(_gateway, body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Answer.Trim(), await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(body.Replace("\"model\":\"backend\"", "\"model\":\"claude-sonnet-4-5\"", StringComparison.Ordinal), _upstream.LastRequest.Body);
    }

    [Fact]
    public async Task Version_and_betas_are_forwarded_less_the_aliases_dropped_betas()
    {
        _upstream.Respond = Replay.StreamFixture("anthropic/sdk-basic_response.txt");

        using var response = await MessagesClients.PostAsClaudeCodeAsync(_gateway, MessagesClients.ClaudeCodeBody("backend"));
        await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        var sent = _upstream.LastRequest;
        Assert.Equal("2023-06-01", sent.Headers["anthropic-version"]);
        var betas = sent.Headers["anthropic-beta"].Split(',');
        Assert.Contains("claude-code-20250219", betas);
        Assert.Contains("interleaved-thinking-2025-05-14", betas);
        Assert.DoesNotContain("context-management-2025-06-27", betas);
        Assert.Equal(MessagesClients.ClaudeCodeBetas.Split(',').Length - 1, betas.Length);
        Assert.Equal(ModelMaps.AnthropicKey, sent.Headers["x-api-key"]);
        Assert.DoesNotContain(MessagesClients.ClientKey, string.Join(" ", sent.Headers.Values), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_captured_Claude_Code_request_is_passed_through_and_its_stream_relayed_event_by_event_with_names_and_pings()
    {
        _upstream.Respond = Replay.StreamFixture("anthropic/messages-stream-thinking-then-tool-use.txt");
        var body = MessagesClients.ClaudeCodeBody("backend");

        using var response = await MessagesClients.PostAsClaudeCodeAsync(_gateway, body);
        var sse = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(body.Replace("\"model\":\"backend\"", "\"model\":\"claude-sonnet-4-5\"", StringComparison.Ordinal), _upstream.LastRequest.Body);
        var expected = MessagesClients.Events(Replay.Fixture("anthropic/messages-stream-thinking-then-tool-use.txt"));
        Assert.Equal(expected, MessagesClients.Events(sse));
        Assert.Contains(("ping", """{"type": "ping"}"""), MessagesClients.Events(sse));
    }

    [Fact]
    public async Task The_SDK_streams_thinking_with_its_signature_and_a_tool_call()
    {
        _upstream.Respond = Replay.StreamFixture("anthropic/messages-stream-thinking-then-tool-use.txt");
        var thinking = new StringBuilder();
        string? signature = null;
        var toolInput = new StringBuilder();

        await foreach (var streamed in MessagesClients.Sdk(_gateway).Messages.CreateStreaming(new MessageCreateParams
        {
            Model = "backend",
            MaxTokens = 4096,
            Messages = [new UserMessageParam("What's the weather in Florence?")],
        }, TestContext.Current.CancellationToken))
        {
            if (streamed.TryPickContentBlockDelta(out var delta))
            {
                if (delta.Delta.TryPickThinking(out var t))
                {
                    thinking.Append(t.Thinking);
                }
                else if (delta.Delta.TryPickSignature(out var s))
                {
                    signature = s.Signature;
                }
                else if (delta.Delta.TryPickInputJson(out var json))
                {
                    toolInput.Append(json.PartialJson);
                }
            }
        }

        Assert.StartsWith("The user is asking for weather", thinking.ToString(), StringComparison.Ordinal);
        Assert.StartsWith("EsQDCkYICBgCKkBr9", signature, StringComparison.Ordinal);
        Assert.Equal("Florence, Italy", JsonNode.Parse(toolInput.ToString())!["location"]!.GetValue<string>());
    }

    [Fact]
    public async Task Usage_with_cache_reads_and_writes_and_cost_reach_the_completion_log()
    {
        _upstream.Respond = Replay.Json(Answer);

        using var response = await MessagesClients.PostAsClaudeCodeAsync(_gateway,
            """{"model":"backend","max_tokens":50,"messages":[{"role":"user","content":[{"type":"text","text":"Say hello"}]}]}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var logged = (await _gateway.Logs.WaitForAsync("chat_completion"))[0];
        Assert.Equal(1112, logged.GetProperty("tokensIn").GetInt32());
        Assert.Equal(6, logged.GetProperty("tokensOut").GetInt32());
        Assert.Equal(1000, logged.GetProperty("cachedTokensIn").GetInt32());
        Assert.True(logged.GetProperty("costUsd").GetDecimal() > 0);
        Assert.Equal("Say hello", logged.GetProperty("latestUserMessage").GetString());
        Assert.Equal("end_turn", logged.GetProperty("finishReason").GetString());
        Assert.Equal("anthropic-messages", logged.GetProperty("protocol").GetString());
    }

    [Fact]
    public async Task A_streams_usage_from_message_start_and_message_delta_reaches_the_log()
    {
        _upstream.Respond = Replay.StreamFixture("anthropic/messages-stream-thinking-then-tool-use.txt");

        using var response = await MessagesClients.PostAsClaudeCodeAsync(_gateway, MessagesClients.ClaudeCodeBody("backend"));
        await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        var logged = (await _gateway.Logs.WaitForAsync("chat_completion"))[0];
        Assert.Equal(423, logged.GetProperty("tokensIn").GetInt32());
        Assert.False(logged.GetProperty("tokensEstimated").GetBoolean());
        Assert.True(logged.GetProperty("tokensOut").GetInt32() > 6);
        Assert.Equal("tool_use", logged.GetProperty("finishReason").GetString());
    }

    [Fact]
    public async Task Max_tokens_above_the_aliases_maximum_output_is_cut_to_it()
    {
        _upstream.Respond = Replay.Json(Answer);

        using var response = await MessagesClients.PostAsClaudeCodeAsync(_gateway,
            """{"model":"small","max_tokens":32000,"messages":[{"role":"user","content":"Hi"}]}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"model":"claude-haiku-4-5","max_tokens":8192,"messages":[{"role":"user","content":"Hi"}]}""", _upstream.LastRequest.Body);
    }

    [Fact]
    public async Task An_upstream_rate_limit_reaches_the_SDK_as_Anthropic_wrote_it()
    {
        var captured = JsonNode.Parse(Replay.Fixture("anthropic/real-error-429-rate_limit.json"))!;
        _upstream.Respond = Replay.Json(captured["body"]!.ToJsonString(), 429, r => r.Headers.RetryAfter = "7");

        var failure = await Assert.ThrowsAnyAsync<AnthropicApiException>(() => MessagesClients.Sdk(_gateway).Messages.Create(new MessageCreateParams
        {
            Model = "backend",
            MaxTokens = 100,
            Messages = [new UserMessageParam("Hi")],
        }, TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.TooManyRequests, failure.StatusCode);
        using var raw = await MessagesClients.PostAsClaudeCodeAsync(_gateway, """{"model":"backend","max_tokens":5,"messages":[{"role":"user","content":"Hi"}]}""");
        Assert.Equal(HttpStatusCode.TooManyRequests, raw.StatusCode);
        Assert.Equal("7", raw.Headers.RetryAfter!.ToString());
        Assert.Equal(captured["body"]!.ToJsonString(), await raw.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Count_tokens_is_passed_through_to_the_upstream()
    {
        _upstream.Respond = Replay.Json("""{"input_tokens":42}""");

        var count = await MessagesClients.Sdk(_gateway).Messages.CountTokens(new MessageCountTokensParams
        {
            Model = "backend",
            Messages = [new UserMessageParam("Hi")],
        }, TestContext.Current.CancellationToken);

        Assert.Equal(42, count.InputTokens);
        var sent = _upstream.LastRequest;
        Assert.Equal("/v1/messages/count_tokens", sent.Path);
        Assert.Equal("claude-sonnet-4-5", sent.Json["model"]!.GetValue<string>());
        Assert.Equal(ModelMaps.AnthropicKey, sent.Headers["x-api-key"]);
    }

    [Fact]
    public async Task An_error_event_in_the_upstream_stream_is_relayed_as_it_came_and_logged()
    {
        const string Overloaded = """{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}""";
        _upstream.Respond = Replay.Stream([.. Replay.Events("anthropic/sdk-basic_response.txt").Take(3), "event: error\ndata: " + Overloaded]);

        using var response = await MessagesClients.PostAsClaudeCodeAsync(_gateway,
            """{"model":"backend","max_tokens":50,"stream":true,"messages":[{"role":"user","content":"Hi"}]}""");
        var events = MessagesClients.Events(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        Assert.Equal(("error", Overloaded), events[^1]);
        Assert.Equal(4, events.Count);
        Assert.Equal(503, (await _gateway.Logs.WaitForAsync("llm_error"))[0].GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task A_client_that_hangs_up_mid_stream_is_logged_client_closed_and_the_upstream_call_is_cancelled()
    {
        var events = Replay.Events("anthropic/sdk-basic_response.txt");
        _upstream.Respond = Replay.Stream([events[0], .. Enumerable.Repeat(events[2], 2000)], gap: TimeSpan.FromMilliseconds(2));
        using var http = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = _gateway.BaseUrl };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages")
        {
            Content = new StringContent("""{"model":"backend","max_tokens":50,"stream":true,"messages":[{"role":"user","content":"Hi"}]}""", Encoding.UTF8, "application/json"),
        };
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken));
        Assert.Equal("event: message_start", await reader.ReadLineAsync(TestContext.Current.CancellationToken));

        reader.Dispose();
        response.Dispose();

        await _upstream.UpstreamCancelled.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        var logged = Assert.Single(await _gateway.Logs.WaitForAsync("llm_error"));
        Assert.Equal("client_closed", logged.GetProperty("errorType").GetString());
    }
}
