using System.Text;
using System.Text.Json.Nodes;
using SfAi.Core.Errors;
using SfAi.Core.Protocols.AnthropicMessages;
using SfAi.Core.Providers;
using SfAi.Core.Tests.Support;

namespace SfAi.Core.Tests.Protocols.AnthropicMessages;

public sealed class ChatToMessagesTests
{
    private static void AssertJson(string expected, string actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)), $"expected {expected}\nactual   {actual}");

    [Fact]
    public void A_completion_with_reasoning_text_and_tool_calls_becomes_a_message()
    {
        var message = ChatToMessages.Convert("""
            {"id":"chatcmpl-1","model":"gpt-x","choices":[{"index":0,"finish_reason":"tool_calls","message":{"role":"assistant","reasoning_content":"Think.","content":"Calling.",
             "tool_calls":[{"id":"call_1","type":"function","function":{"name":"weather","arguments":"{\"city\":\"Rome\"}"}}]}}],
             "usage":{"prompt_tokens":100,"completion_tokens":20,"prompt_tokens_details":{"cached_tokens":40}}}
            """u8);

        AssertJson("""
            {"id":"msg_chatcmpl-1","type":"message","role":"assistant","model":"gpt-x","content":[
              {"type":"thinking","thinking":"Think.","signature":""},{"type":"text","text":"Calling."},
              {"type":"tool_use","id":"call_1","name":"weather","input":{"city":"Rome"}}],
             "stop_reason":"tool_use","stop_sequence":null,
             "usage":{"input_tokens":60,"cache_read_input_tokens":40,"cache_creation_input_tokens":0,"output_tokens":20}}
            """, Encoding.UTF8.GetString(message));
    }

    [Theory]
    [InlineData("stop", "end_turn")]
    [InlineData("length", "max_tokens")]
    [InlineData("tool_calls", "tool_use")]
    [InlineData("content_filter", "refusal")]
    public void Finish_reasons_become_stop_reasons(string finish, string stop)
    {
        var message = JsonNode.Parse(ChatToMessages.Convert(Encoding.UTF8.GetBytes(
            $$$"""{"id":"c","model":"m","choices":[{"index":0,"finish_reason":"{{{finish}}}","message":{"role":"assistant","content":"x"}}]}""")))!;

        Assert.Equal(stop, message["stop_reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Chat_chunks_become_a_well_formed_Messages_stream_event_by_event()
    {
        var client = new RecordingSink();
        IChatResponseSink sink = new ChatToMessagesSink(client);
        string[] chunks =
        [
            """{"id":"c1","model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}""",
            """{"id":"c1","model":"m","choices":[{"index":0,"delta":{"content":"Hi"}}]}""",
            """{"id":"c1","model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"f","arguments":""}}]}}]}""",
            """{"id":"c1","model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"a\":1}"}}]}}]}""",
            """{"id":"c1","model":"m","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}""",
            """{"id":"c1","model":"m","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":4}}""",
            "[DONE]",
        ];

        await sink.StartEventStreamAsync(TestContext.Current.CancellationToken);
        foreach (var chunk in chunks)
        {
            await sink.WriteEventAsync(Encoding.UTF8.GetBytes(chunk), TestContext.Current.CancellationToken);
        }

        Assert.Equal(
            ["message_start", "content_block_start", "content_block_delta", "content_block_stop", "content_block_start", "content_block_delta", "content_block_stop", "message_delta", "message_stop"],
            client.EventNames);
        AssertJson("""{"type":"message_start","message":{"id":"msg_c1","type":"message","role":"assistant","model":"m","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":0,"cache_read_input_tokens":0,"cache_creation_input_tokens":0,"output_tokens":0}}}""", client.Events[0]);
        AssertJson("""{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}""", client.Events[1]);
        AssertJson("""{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}""", client.Events[2]);
        AssertJson("""{"type":"content_block_stop","index":0}""", client.Events[3]);
        AssertJson("""{"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"call_1","name":"f","input":{}}}""", client.Events[4]);
        AssertJson("""{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"a\":1}"}}""", client.Events[5]);
        AssertJson("""{"type":"content_block_stop","index":1}""", client.Events[6]);
        AssertJson("""{"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"input_tokens":9,"cache_read_input_tokens":0,"cache_creation_input_tokens":0,"output_tokens":4}}""", client.Events[7]);
        AssertJson("""{"type":"message_stop"}""", client.Events[8]);
    }

    [Fact]
    public void The_Anthropic_error_shape_names_the_type_Anthropic_gives_each_status()
    {
        Assert.Equal("""{"type":"error","error":{"type":"overloaded_error","message":"busy"}}""",
            Encoding.UTF8.GetString(MessagesErrorWriter.ToUtf8(new GatewayError(503, "server_error", null, null, "busy", ErrorKinds.UpstreamError))));
        Assert.Equal("request_too_large", MessagesErrorWriter.TypeOf(GatewayError.PayloadTooLarge(10)));
        Assert.Equal("api_error", MessagesErrorWriter.TypeOf(GatewayError.Internal("r")));
        var relayed = """{"type":"error","error":{"type":"rate_limit_error","message":"slow down"},"request_id":"req_1"}"""u8.ToArray();
        Assert.Equal(relayed, MessagesErrorWriter.ToUtf8(GatewayError.BadRequest("x") with { Status = 429, RawBody = relayed }));
        var openAIShaped = """{"error":{"message":"bad","type":"invalid_request_error"}}"""u8.ToArray();
        Assert.Contains("\"type\":\"error\"", Encoding.UTF8.GetString(MessagesErrorWriter.ToUtf8(GatewayError.BadRequest("bad") with { RawBody = openAIShaped })), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_chunk_that_is_no_JSON_is_skipped_and_an_error_chunk_becomes_an_error_event()
    {
        var client = new RecordingSink();
        IChatResponseSink sink = new ChatToMessagesSink(client);

        await sink.StartEventStreamAsync(TestContext.Current.CancellationToken);
        await sink.WriteEventAsync("{not json"u8.ToArray(), TestContext.Current.CancellationToken);
        await sink.WriteEventAsync("""{"error":{"message":"quota"}}"""u8.ToArray(), TestContext.Current.CancellationToken);

        Assert.Single(client.Events);
        Assert.Contains("quota", client.Events[0], StringComparison.Ordinal);
    }
}
