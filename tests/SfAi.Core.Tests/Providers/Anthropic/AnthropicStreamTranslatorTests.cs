using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using SfAi.Core.Providers.Anthropic;
using SfAi.Core.Streaming;
using static SfAi.Core.Tests.Providers.Anthropic.AnthropicTestRoutes;

namespace SfAi.Core.Tests.Providers.Anthropic;

/// <summary>Golden tests: captured Anthropic streams in, the exact OpenAI chunks out.</summary>
public sealed class AnthropicStreamTranslatorTests
{
    private static async Task<(List<string> Events, AnthropicStreamTranslator Translator)> TranslateAsync(
        string fixture, bool clientWantsUsage = false, bool jsonObjectMode = false)
    {
        var translator = new AnthropicStreamTranslator("anthropic", "claude-sonnet-4-5", clientWantsUsage, jsonObjectMode, 1_700_000_000);
        var events = new List<string>();
        var output = new List<byte[]>();
        await using var stream = File.OpenRead(Path.Combine(AppContext.BaseDirectory, "Fixtures", "anthropic", fixture));
        await foreach (var data in SseEventReader.ReadDataAsync(stream, cancellationToken: TestContext.Current.CancellationToken))
        {
            output.Clear();
            translator.Translate(data, output);
            events.AddRange(output.Select(chunk => Encoding.UTF8.GetString(chunk)));
        }
        return (events, translator);
    }

    /// <summary>Each chunk's delta and finish reason (the frame — id, model, created — is checked once).</summary>
    private static List<string> Deltas(List<string> events) =>
        [.. events.Select(e => e == "[DONE]" ? e : DeltaOf(JsonNode.Parse(e)!))];

    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string DeltaOf(JsonNode chunk) =>
        chunk["choices"] is JsonArray { Count: > 0 } choices
            ? $"{choices[0]!["delta"]!.ToJsonString(Relaxed)} {choices[0]!["finish_reason"]?.GetValue<string>() ?? "-"}"
            : $"usage {chunk["usage"]!.ToJsonString(Relaxed)}";

    [Fact]
    public async Task Translates_a_text_stream()
    {
        var (events, translator) = await TranslateAsync("sdk-basic_response.txt");

        Assert.Equal(
        [
            """{"role":"assistant","content":""} -""",
            """{"content":"Hello"} -""",
            """{"content":" there"} -""",
            """{"content":"!"} -""",
            "{} stop",
            "[DONE]",
        ], Deltas(events));
        Assert.Equal(11, translator.Usage!.PromptTokens);
        Assert.Equal(6, translator.Usage.CompletionTokens);
    }

    [Fact]
    public async Task Frames_every_chunk_as_a_chat_completion_chunk_of_the_message()
    {
        var (events, _) = await TranslateAsync("sdk-basic_response.txt");

        AssertJsonEqual("""
            {"id":"msg_4QpJur2dWWDjF6C758FbBw5vm12BaVipnK","object":"chat.completion.chunk","created":1700000000,"model":"claude-3-opus-latest",
             "choices":[{"index":0,"delta":{"content":"Hello"},"logprobs":null,"finish_reason":null}]}
            """, JsonNode.Parse(events[1])!);
    }

    [Fact]
    public async Task Streams_tool_call_arguments_in_order()
    {
        var (events, translator) = await TranslateAsync("sdk-tool_use_response.txt");

        Assert.Equal(
        [
            """{"role":"assistant","content":""} -""",
            """{"content":"I"} -""",
            """{"content":"'ll check the current weather in Paris for you."} -""",
            """{"tool_calls":[{"index":0,"id":"toolu_01NRLabsLyVHZPKxbKvkfSMn","type":"function","function":{"name":"get_weather","arguments":""}}]} -""",
            """{"tool_calls":[{"index":0,"function":{"arguments":"{\"locati"}}]} -""",
            """{"tool_calls":[{"index":0,"function":{"arguments":"on\": \"P"}}]} -""",
            """{"tool_calls":[{"index":0,"function":{"arguments":"ar"}}]} -""",
            """{"tool_calls":[{"index":0,"function":{"arguments":"is\"}"}}]} -""",
            "{} tool_calls",
            "[DONE]",
        ], Deltas(events));
        Assert.Equal("tool_calls", translator.FinishReason);
    }

    [Fact]
    public async Task Streams_thinking_as_reasoning_content_then_the_signed_block()
    {
        var (events, _) = await TranslateAsync("messages-stream-thinking-then-tool-use.txt");
        var deltas = Deltas(events);

        Assert.Equal("""{"reasoning_content":"The user is asking for"} -""", deltas[1]);
        var signed = JsonNode.Parse(events[7])!["choices"]![0]!["delta"]!["thinking_blocks"]![0]!;
        Assert.StartsWith("The user is asking for weather information", signed["thinking"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.StartsWith("EsQDCkYICBgCKkBr9", signed["signature"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("""{"tool_calls":[{"index":0,"id":"toolu_0171KFcBwn1Z64XzvQfz3sZS","type":"function","function":{"name":"weather","arguments":""}}]} -""", deltas);
    }

    [Fact]
    public async Task Adds_one_usage_chunk_with_cache_tokens_only_when_the_client_asked()
    {
        var (events, _) = await TranslateAsync("real-messages-stream-structured-output.txt", clientWantsUsage: true);

        var usageChunks = events.Where(e => e.Contains("\"usage\"", StringComparison.Ordinal)).ToList();
        var usage = Assert.Single(usageChunks);
        AssertJsonEqual("""{"prompt_tokens":135,"completion_tokens":10,"total_tokens":145,"prompt_tokens_details":{"cached_tokens":0}}""", JsonNode.Parse(usage)!["usage"]!);
        Assert.Equal("[DONE]", events[^1]);
    }

    [Fact]
    public async Task Sends_no_usage_chunk_when_the_client_did_not_ask()
    {
        var (events, translator) = await TranslateAsync("real-messages-stream-structured-output.txt");

        Assert.DoesNotContain(events, e => e.Contains("\"usage\"", StringComparison.Ordinal));
        Assert.Equal(135, translator.Usage!.PromptTokens);
    }

    [Fact]
    public async Task Maps_a_refusal_to_content_filter()
    {
        var (events, _) = await TranslateAsync("sdk-refusal_response.txt");

        Assert.Contains("{} content_filter", Deltas(events));
    }

    [Fact]
    public async Task Maps_a_stream_cut_by_max_tokens_to_length()
    {
        var (events, _) = await TranslateAsync("sdk-incomplete_partial_json_response.txt");

        Assert.Contains("{} length", Deltas(events));
    }

    [Fact]
    public void Keeps_tool_indexes_stable_when_text_and_two_tool_calls_interleave()
    {
        var translator = new AnthropicStreamTranslator("anthropic", "claude", false, false, 1);
        var output = new List<byte[]>();
        string[] stream =
        [
            """{"type":"message_start","message":{"id":"msg_p","model":"claude","usage":{"input_tokens":5,"output_tokens":1}}}""",
            """{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}""",
            """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Both:"}}""",
            """{"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_a","name":"weather","input":{}}}""",
            """{"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"toolu_b","name":"time","input":{}}}""",
            """{"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"{\"tz\":"}}""",
            """{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"city\":"}}""",
            """{"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"\"CET\"}"}}""",
            """{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"\"Rome\"}"}}""",
        ];

        foreach (var data in stream)
        {
            translator.Translate(data, output);
        }

        var arguments = new Dictionary<int, StringBuilder> { [0] = new(), [1] = new() };
        foreach (var chunk in output.Select(o => JsonNode.Parse(o)!))
        {
            if (chunk["choices"]![0]!["delta"]!["tool_calls"] is JsonArray calls)
            {
                arguments[calls[0]!["index"]!.GetValue<int>()].Append(calls[0]!["function"]!["arguments"]!.GetValue<string>());
            }
        }
        Assert.Equal("""{"city":"Rome"}""", arguments[0].ToString());
        Assert.Equal("""{"tz":"CET"}""", arguments[1].ToString());
    }

    [Fact]
    public void Turns_a_stream_error_event_into_an_OpenAI_error_event_then_done()
    {
        var translator = new AnthropicStreamTranslator("anthropic", "claude", false, false, 1);
        var output = new List<byte[]>();

        translator.Translate("""{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}""", output);

        AssertJsonEqual("""{"error":{"message":"The upstream provider 'anthropic' is overloaded: Overloaded","type":"server_error","param":null,"code":"overloaded"}}""",
            JsonNode.Parse(output[0])!);
        Assert.Equal("[DONE]", Encoding.UTF8.GetString(output[1]));
        Assert.Equal(503, translator.Error!.Status);
        Assert.True(translator.Finished);
    }

    [Fact]
    public void Streams_the_json_object_tool_input_as_content()
    {
        var translator = new AnthropicStreamTranslator("anthropic", "claude", false, jsonObjectMode: true, 1);
        var output = new List<byte[]>();
        translator.Translate("""{"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"t","name":"json_object","input":{}}}""", output);
        translator.Translate("""{"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\"a\":1}"}}""", output);
        translator.Translate("""{"type":"message_delta","delta":{"stop_reason":"tool_use"},"usage":{"output_tokens":3}}""", output);

        Assert.Equal(["""{"content":"{\"a\":1}"} -""", "{} stop"], Deltas([.. output.Select(o => Encoding.UTF8.GetString(o))]));
    }
}
