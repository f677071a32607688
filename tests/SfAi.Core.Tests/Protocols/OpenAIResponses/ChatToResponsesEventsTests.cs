using System.Text;
using System.Text.Json.Nodes;
using SfAi.Core.Errors;
using SfAi.Core.Protocols.OpenAIResponses;
using SfAi.Core.Tests.Support;

namespace SfAi.Core.Tests.Protocols.OpenAIResponses;

/// <summary>The pivot's answers (chat completions and chunks) as the Responses API's response object and event sequence.</summary>
public sealed class ChatToResponsesEventsTests
{
    private static ResponsesTranslation Translation(string json = """{"model":"alias","input":"hi","stream":true}""") =>
        ResponsesRequestParser.Parse(Encoding.UTF8.GetBytes(json)).Translation;

    private static async Task<List<(string? Name, JsonObject Data)>> StreamAsync(ResponsesTranslation translation, params string[] chunks)
    {
        var client = new RecordingSink();
        var sink = new ChatToResponsesEvents(translation, client, TimeProvider.System);
        await sink.StartEventStreamAsync(CancellationToken.None);
        foreach (var chunk in chunks)
        {
            await sink.WriteEventAsync(null, Encoding.UTF8.GetBytes(chunk), CancellationToken.None);
        }
        return [.. client.EventNames.Zip(client.Events, (name, data) => (name, JsonNode.Parse(data)!.AsObject()))];
    }

    private static string Chunk(string delta, string? finish = null) =>
        $$"""{"id":"c","object":"chat.completion.chunk","created":1700000000,"model":"up-1","choices":[{"index":0,"delta":{{delta}},"finish_reason":{{(finish is null ? "null" : $"\"{finish}\"")}}}]}""";

    private const string Usage = """{"id":"c","object":"chat.completion.chunk","created":1700000000,"model":"up-1","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":4,"total_tokens":13,"prompt_tokens_details":{"cached_tokens":2}}}""";

    [Fact]
    public async Task Reasoning_then_text_then_a_tool_call_make_three_output_items_in_order()
    {
        var translation = Translation("""{"model":"alias","input":"hi","stream":true,"tools":[{"type":"namespace","name":"ns","tools":[{"type":"function","name":"f"}]}]}""");

        var events = await StreamAsync(translation,
            Chunk("""{"role":"assistant","content":""}"""),
            Chunk("""{"reasoning_content":"Think"}"""),
            Chunk("""{"content":"Hel"}"""),
            Chunk("""{"content":"lo"}"""),
            Chunk("""{"tool_calls":[{"index":0,"id":"call_9","type":"function","function":{"name":"ns__f","arguments":""}}]}"""),
            Chunk("""{"tool_calls":[{"index":0,"function":{"arguments":"{\"a\":"}}]}"""),
            Chunk("""{"tool_calls":[{"index":0,"function":{"arguments":"1}"}}]}"""),
            Chunk("{}", "tool_calls"),
            Usage,
            "[DONE]");

        Assert.Equal(
            [
                "response.created", "response.in_progress",
                "response.output_item.added", "response.reasoning_summary_part.added", "response.reasoning_summary_text.delta",
                "response.reasoning_summary_text.done", "response.reasoning_summary_part.done", "response.output_item.done",
                "response.output_item.added", "response.content_part.added", "response.output_text.delta", "response.output_text.delta",
                "response.output_text.done", "response.content_part.done", "response.output_item.done",
                "response.output_item.added", "response.function_call_arguments.delta", "response.function_call_arguments.delta",
                "response.function_call_arguments.done", "response.output_item.done",
                "response.completed",
            ],
            events.Select(e => e.Name));
        Assert.Equal(Enumerable.Range(0, events.Count), events.Select(e => e.Data["sequence_number"]!.GetValue<int>()));
        var response = events[^1].Data["response"]!;
        Assert.Equal("completed", response["status"]!.GetValue<string>());
        Assert.Equal("up-1", response["model"]!.GetValue<string>());
        Assert.Equal(1700000000, response["created_at"]!.GetValue<long>());
        var output = response["output"]!.AsArray();
        Assert.Equal("Think", output[0]!["summary"]![0]!["text"]!.GetValue<string>());
        Assert.Equal("Hello", output[1]!["content"]![0]!["text"]!.GetValue<string>());
        Assert.Equal(2, events.Single(e => e.Name == "response.output_text.done").Data["output_index"]!.GetValue<int>() + 1);
        Assert.Equal("call_9", output[2]!["call_id"]!.GetValue<string>());
        Assert.Equal("f", output[2]!["name"]!.GetValue<string>());
        Assert.Equal("ns", output[2]!["namespace"]!.GetValue<string>());
        Assert.Equal("{\"a\":1}", output[2]!["arguments"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"input_tokens":9,"input_tokens_details":{"cached_tokens":2},"output_tokens":4,"output_tokens_details":{"reasoning_tokens":0},"total_tokens":13}"""),
            response["usage"]));
    }

    [Theory]
    [InlineData("length", "max_output_tokens")]
    [InlineData("content_filter", "content_filter")]
    public async Task A_cut_answer_ends_with_response_incomplete_and_its_reason(string finishReason, string reason)
    {
        var events = await StreamAsync(Translation(), Chunk("""{"content":"Hi"}"""), Chunk("{}", finishReason), "[DONE]");

        Assert.Equal("response.incomplete", events[^1].Name);
        Assert.Equal("incomplete", events[^1].Data["response"]!["status"]!.GetValue<string>());
        Assert.Equal(reason, events[^1].Data["response"]!["incomplete_details"]!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_error_chunk_ends_the_stream_with_response_failed_and_nothing_after()
    {
        var events = await StreamAsync(Translation(),
            Chunk("""{"content":"Hi"}"""),
            """{"error":{"message":"Overloaded","type":"overloaded_error","param":null,"code":null}}""",
            "[DONE]");

        Assert.Equal("response.failed", events[^1].Name);
        Assert.Equal("Overloaded", events[^1].Data["response"]!["error"]!["message"]!.GetValue<string>());
        Assert.DoesNotContain(events, e => e.Name == "response.completed");
    }

    [Theory]
    [InlineData("{not json", "response.failed")]
    [InlineData("""{"choices":[{"index":0,"delta":{"tool_calls":[7,{"index":"x","function":{"name":"f","arguments":"{}"}}]}}],"created":"soon"}""", "response.completed")]
    [InlineData("""{"choices":[7]}""", "response.completed")]
    public async Task An_unreadable_chunk_is_response_failed_and_odd_values_are_read_as_far_as_they_go(string chunk, string end)
    {
        var events = await StreamAsync(Translation(), chunk, "[DONE]");

        Assert.Equal(end, events[^1].Name);
        Assert.Equal(Enumerable.Range(0, events.Count), events.Select(e => e.Data["sequence_number"]!.GetValue<int>()));
    }

    [Fact]
    public async Task A_stream_error_from_the_relay_is_response_failed()
    {
        var client = new RecordingSink();
        var sink = new ChatToResponsesEvents(Translation(), client, TimeProvider.System);
        await sink.StartEventStreamAsync(CancellationToken.None);

        await sink.WriteErrorEventAsync(GatewayError.UpstreamUnavailable("anthropic", "the stream ended before message_stop"), CancellationToken.None);

        Assert.Equal("response.failed", client.EventNames[^1]);
        var response = JsonNode.Parse(client.Events[^1])!["response"]!;
        Assert.Equal("failed", response["status"]!.GetValue<string>());
        Assert.Equal("upstream_unavailable", response["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_completion_becomes_a_response_object()
    {
        var client = new RecordingSink();
        var translation = Translation("""{"model":"alias","input":"hi"}""");
        var sink = new ChatToResponsesEvents(translation, client, TimeProvider.System);

        await sink.WriteJsonAsync(200, """
            {"id":"c","object":"chat.completion","created":1700000000,"model":"up-1",
             "choices":[{"index":0,"message":{"role":"assistant","content":"Sure.","tool_calls":[{"id":"call_1","type":"function","function":{"name":"f","arguments":"{}"}}]},"finish_reason":"tool_calls"}],
             "usage":{"prompt_tokens":5,"completion_tokens":3,"total_tokens":8}}
            """u8.ToArray(), CancellationToken.None);

        var response = JsonNode.Parse(client.Json!)!;
        Assert.Equal(200, client.JsonStatus);
        Assert.StartsWith("resp_", response["id"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("response", response["object"]!.GetValue<string>());
        Assert.Equal("completed", response["status"]!.GetValue<string>());
        Assert.Equal("message", response["output"]![0]!["type"]!.GetValue<string>());
        Assert.Equal("Sure.", response["output"]![0]!["content"]![0]!["text"]!.GetValue<string>());
        Assert.Equal("function_call", response["output"]![1]!["type"]!.GetValue<string>());
        Assert.Equal("call_1", response["output"]![1]!["call_id"]!.GetValue<string>());
        Assert.Equal(8, response["usage"]!["total_tokens"]!.GetValue<int>());
    }
}
