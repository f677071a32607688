using System.ClientModel;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpenAI;
using OpenAI.Chat;
using SfAi.Api.Tests.Support;

namespace SfAi.Api.Tests.ChatCompletions;

/// <summary>Streaming pass-through: events relayed as they arrive, usage always asked of the upstream, shown only when asked for.</summary>
public sealed class StreamingTests : IAsyncLifetime
{
    private FakeUpstream _upstream = null!;
    private TestGateway _gateway = null!;

    public async ValueTask InitializeAsync()
    {
        _upstream = await FakeUpstream.StartAsync();
        _gateway = await TestGateway.StartAsync(ModelMaps.OpenAI(_upstream.V1));
    }

    public async ValueTask DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    private ChatClient Client() =>
        new("frontend", new ApiKeyCredential("sk-client-key"), new OpenAIClientOptions { Endpoint = _gateway.V1 });

    [Fact]
    public async Task Streams_text_to_the_SDK()
    {
        _upstream.Respond = Replay.StreamFixture("openai/chat-stream-include-usage.txt");
        var text = new StringBuilder();
        ChatTokenUsage? usage = null;

        await foreach (var update in Client().CompleteChatStreamingAsync([new UserChatMessage("hello")], cancellationToken: TestContext.Current.CancellationToken))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }
            usage ??= update.Usage;
        }

        Assert.Equal("Hello! How can I assist you today?", text.ToString());
        Assert.NotNull(usage);
        Assert.Equal(8, usage.InputTokenCount);
        Assert.Equal(9, usage.OutputTokenCount);
    }

    [Fact]
    public async Task Streams_tool_call_arguments_in_order()
    {
        _upstream.Respond = Replay.StreamFixture("openai/chat-stream-tool-call-include-usage.txt");
        var arguments = new StringBuilder();
        string? name = null;
        string? id = null;
        ChatFinishReason? finish = null;

        await foreach (var update in Client().CompleteChatStreamingAsync([new UserChatMessage("How old is Alice?")], cancellationToken: TestContext.Current.CancellationToken))
        {
            foreach (var call in update.ToolCallUpdates)
            {
                name ??= call.FunctionName;
                id ??= call.ToolCallId;
                arguments.Append(call.FunctionArgumentsUpdate?.ToString());
            }
            finish ??= update.FinishReason;
        }

        Assert.Equal("GetPersonAge", name);
        Assert.Equal("call_F9ZaqPWo69u0urxAhVt8meDW", id);
        Assert.Equal("Alice", JsonNode.Parse(arguments.ToString())!["personName"]!.GetValue<string>());
        Assert.Equal(ChatFinishReason.ToolCalls, finish);
    }

    [Fact]
    public async Task Sends_the_tool_result_turn_upstream_in_a_round_trip()
    {
        _upstream.Respond = Replay.StreamFixture("openai/chat-stream-tool-call-include-usage.txt");
        var client = Client();
        var tool = ChatTool.CreateFunctionTool("GetPersonAge", "Gets the age of a person",
            BinaryData.FromString("""{"type":"object","properties":{"personName":{"type":"string"}},"required":["personName"]}"""));
        var options = new ChatCompletionOptions { Tools = { tool } };
        List<ChatMessage> messages = [new UserChatMessage("How old is Alice?")];
        var builder = new StreamingToolCallsCollector();
        await foreach (var update in client.CompleteChatStreamingAsync(messages, options, TestContext.Current.CancellationToken))
        {
            builder.Add(update);
        }
        var calls = builder.Build();
        messages.Add(new AssistantChatMessage(calls));
        messages.Add(new ToolChatMessage(calls[0].Id, "42"));
        _upstream.Respond = Replay.StreamFixture("openai/chat-stream-include-usage.txt");

        await foreach (var _ in client.CompleteChatStreamingAsync(messages, options, TestContext.Current.CancellationToken))
        {
        }

        var sent = _upstream.LastRequest.Json["messages"]!.AsArray();
        Assert.Equal("GetPersonAge", sent[1]!["tool_calls"]![0]!["function"]!["name"]!.GetValue<string>());
        Assert.Equal("tool", sent[2]!["role"]!.GetValue<string>());
        Assert.Equal("call_F9ZaqPWo69u0urxAhVt8meDW", sent[2]!["tool_call_id"]!.GetValue<string>());
        Assert.Equal("GetPersonAge", _upstream.LastRequest.Json["tools"]![0]!["function"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Keeps_the_upstream_connection_when_the_client_hangs_up_after_DONE() =>
        Assert.Equal(1, await HangingUpClient.UpstreamConnectionsForTwoHangUpsAsync(_upstream, _gateway.V1, "openai/chat-stream-include-usage.txt", "frontend"));

    [Fact]
    public async Task Asks_the_upstream_for_usage_when_the_client_did_not()
    {
        _upstream.Respond = Replay.StreamFixture("openai/chat-stream-text-with-usage.txt");

        await ReadStreamAsync("""{"model":"frontend","stream":true,"messages":[{"role":"user","content":"hi"}]}""");

        Assert.True(_upstream.LastRequest.Json["stream_options"]!["include_usage"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Removes_the_usage_chunk_the_client_did_not_ask_for()
    {
        _upstream.Respond = Replay.StreamFixture("openai/chat-stream-text-with-usage.txt");

        var events = await ReadStreamAsync("""{"model":"frontend","stream":true,"messages":[{"role":"user","content":"hi"}]}""");

        var upstreamEvents = Replay.Events("openai/chat-stream-text-with-usage.txt");
        Assert.Equal(upstreamEvents.Count - 1, events.Count);
        Assert.DoesNotContain(events, e => e.Contains("\"usage\":{", StringComparison.Ordinal));
        Assert.Equal("data: [DONE]", events[^1]);
    }

    [Fact]
    public async Task Keeps_the_usage_chunk_the_client_asked_for()
    {
        _upstream.Respond = Replay.StreamFixture("openai/chat-stream-text-with-usage.txt");

        var events = await ReadStreamAsync("""{"model":"frontend","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal(Replay.Events("openai/chat-stream-text-with-usage.txt"), events);
    }

    [Fact]
    public async Task Sends_event_stream_headers_that_stop_proxy_buffering()
    {
        _upstream.Respond = Replay.StreamFixture("openai/chat-stream-text-with-usage.txt");
        using var request = StreamRequest("""{"model":"frontend","stream":true,"messages":[{"role":"user","content":"hi"}]}""");

        using var response = await _gateway.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        Assert.True(response.Headers.CacheControl!.NoCache);
        Assert.Equal("no", response.Headers.GetValues("X-Accel-Buffering").Single());
    }

    [Fact]
    public async Task Relays_each_event_as_it_arrives()
    {
        var release = new SemaphoreSlim(0);
        var events = Replay.Events("openai/chat-stream-include-usage.txt");
        _upstream.Respond = Replay.Stream(events, beforeEvent: (i, aborted) => i == 2 ? release.WaitAsync(aborted) : Task.CompletedTask);
        using var request = StreamRequest("""{"model":"frontend","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"hi"}]}""");
        using var response = await _gateway.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken));

        var first = await ReadEventAsync(reader);
        var second = await ReadEventAsync(reader);
        release.Release();
        var third = await ReadEventAsync(reader);

        Assert.Equal(events[0], first);
        Assert.Equal(events[1], second);
        Assert.Equal(events[2], third);
    }

    [Fact]
    public async Task Preserves_the_pacing_of_upstream_events()
    {
        var gap = TimeSpan.FromMilliseconds(150);
        _upstream.Respond = Replay.Stream([.. Replay.Events("openai/chat-stream-include-usage.txt").Take(4)], gap);
        using var request = StreamRequest("""{"model":"frontend","stream":true,"messages":[{"role":"user","content":"hi"}]}""");
        using var response = await _gateway.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken));

        await ReadEventAsync(reader);
        var clock = Stopwatch.StartNew();
        await ReadEventAsync(reader);
        await ReadEventAsync(reader);
        await ReadEventAsync(reader);

        Assert.True(clock.Elapsed >= gap * 2, $"three paced events arrived after {clock.Elapsed.TotalMilliseconds} ms: they were buffered");
    }

    private static HttpRequestMessage StreamRequest(string json) => new(HttpMethod.Post, "/v1/chat/completions")
    {
        Content = new StringContent(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
    };

    private async Task<List<string>> ReadStreamAsync(string json)
    {
        using var request = StreamRequest(json);
        using var response = await _gateway.Http.SendAsync(request, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return [.. body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)];
    }

    private static async Task<string> ReadEventAsync(StreamReader reader)
    {
        var line = await reader.ReadLineAsync(TestContext.Current.CancellationToken);
        Assert.Equal(string.Empty, await reader.ReadLineAsync(TestContext.Current.CancellationToken));
        return line!;
    }
}

/// <summary>Assembles streamed tool-call updates into complete tool calls, as an SDK user does.</summary>
internal sealed class StreamingToolCallsCollector
{
    private readonly SortedDictionary<int, (string Id, string Name, StringBuilder Arguments)> _calls = [];

    public void Add(StreamingChatCompletionUpdate update)
    {
        foreach (var call in update.ToolCallUpdates)
        {
            if (!_calls.TryGetValue(call.Index, out var entry))
            {
                entry = (call.ToolCallId, call.FunctionName, new StringBuilder());
                _calls[call.Index] = entry;
            }
            entry.Arguments.Append(call.FunctionArgumentsUpdate?.ToString());
        }
    }

    public List<ChatToolCall> Build() =>
        [.. _calls.Values.Select(c => ChatToolCall.CreateFunctionToolCall(c.Id, c.Name, BinaryData.FromString(c.Arguments.ToString())))];
}
