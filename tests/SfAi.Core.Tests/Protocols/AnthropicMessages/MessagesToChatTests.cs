using System.Text;
using System.Text.Json.Nodes;
using SfAi.Core.Errors;
using SfAi.Core.Protocols.AnthropicMessages;

namespace SfAi.Core.Tests.Protocols.AnthropicMessages;

public sealed class MessagesToChatTests
{
    private static JsonNode Chat(string messagesRequest) =>
        JsonNode.Parse(MessagesRequestParser.Parse(Encoding.UTF8.GetBytes(messagesRequest)).Chat.Body.ToJsonString())!;

    private static void AssertJson(string expected, JsonNode? actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), $"expected {expected}\nactual   {actual?.ToJsonString()}");

    [Fact]
    public void A_tool_schema_as_deep_as_the_parser_allows_still_makes_a_pivot()
    {
        // The schema sits three levels down in the Messages body (tools, a tool, input_schema) and four in the pivot
        // (tools, a tool, function, parameters): nested to the client parser's limit, it is one level too deep for it.
        const int levels = 253;
        var schema = string.Concat(Enumerable.Repeat("""{"a":""", levels - 1)) + "{}" + new string('}', levels - 1);
        var request = MessagesRequestParser.Parse(Encoding.UTF8.GetBytes(
            $$"""{"model":"a","max_tokens":10,"tools":[{"name":"deep","input_schema":{{schema}}}],"messages":[{"role":"user","content":"hi"}]}"""));

        Assert.Equal("deep", request.Chat.Body["tools"]![0]!["function"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public void System_blocks_and_mid_conversation_system_turns_become_system_messages_in_place()
    {
        var chat = Chat("""
            {"model":"a","max_tokens":10,"system":[{"type":"text","text":"One.","cache_control":{"type":"ephemeral"}},{"type":"text","text":"Two."}],
             "messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello"},{"role":"system","content":[{"type":"text","text":"Now be terse."}]},{"role":"user","content":"Go"}]}
            """);

        AssertJson("""
            [{"role":"system","content":"One.\nTwo."},{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello"},
             {"role":"system","content":"Now be terse."},{"role":"user","content":"Go"}]
            """, chat["messages"]);
    }

    [Fact]
    public void Images_by_data_and_by_url_become_image_parts_beside_the_text()
    {
        var chat = Chat("""
            {"model":"a","max_tokens":10,"messages":[{"role":"user","content":[
              {"type":"text","text":"What is this?"},
              {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}},
              {"type":"image","source":{"type":"url","url":"https://example.com/cat.jpg"}}]}]}
            """);

        AssertJson("""
            [{"role":"user","content":[{"type":"text","text":"What is this?"},
              {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}},
              {"type":"image_url","image_url":{"url":"https://example.com/cat.jpg"}}]}]
            """, chat["messages"]);
    }

    [Fact]
    public void Tool_use_and_tool_result_become_tool_calls_and_tool_messages_and_thinking_is_left_out()
    {
        var chat = Chat("""
            {"model":"a","max_tokens":10,"messages":[
              {"role":"user","content":"Weather?"},
              {"role":"assistant","content":[{"type":"thinking","thinking":"hmm","signature":"s1"},{"type":"redacted_thinking","data":"x"},{"type":"text","text":"Checking."},{"type":"tool_use","id":"toolu_1","name":"weather","input":{"city":"Rome"}}]},
              {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"30 C"},{"type":"tool_result","tool_use_id":"toolu_2","is_error":true,"content":[{"type":"text","text":"boom"}]}]}]}
            """);

        AssertJson("""
            [{"role":"user","content":"Weather?"},
             {"role":"assistant","content":"Checking.","tool_calls":[{"id":"toolu_1","type":"function","function":{"name":"weather","arguments":"{\"city\":\"Rome\"}"}}]},
             {"role":"tool","tool_call_id":"toolu_1","content":"30 C"},
             {"role":"tool","tool_call_id":"toolu_2","content":"Error: boom"}]
            """, chat["messages"]);
    }

    [Theory]
    [InlineData("""{"type":"auto"}""", "\"auto\"", null)]
    [InlineData("""{"type":"any"}""", "\"required\"", null)]
    [InlineData("""{"type":"none"}""", "\"none\"", null)]
    [InlineData("""{"type":"tool","name":"weather","disable_parallel_tool_use":true}""", """{"type":"function","function":{"name":"weather"}}""", false)]
    public void Tool_choice_maps_to_OpenAIs(string anthropic, string openAI, bool? parallel)
    {
        var chat = Chat($$$"""
            {"model":"a","max_tokens":10,"messages":[{"role":"user","content":"Hi"}],"tool_choice":{{{anthropic}}},
             "tools":[{"name":"weather","description":"W","input_schema":{"type":"object"}},{"type":"web_search_20250305","name":"web_search"}]}
            """);

        AssertJson(openAI, chat["tool_choice"]);
        AssertJson("""[{"type":"function","function":{"name":"weather","description":"W","parameters":{"type":"object"}}}]""", chat["tools"]);
        Assert.Equal(parallel, chat["parallel_tool_calls"]?.GetValue<bool>());
    }

    [Fact]
    public void Sampling_stop_sequences_user_and_stream_map_and_beta_fields_are_dropped()
    {
        var chat = Chat("""
            {"model":"a","max_tokens":32000,"temperature":0.2,"top_p":0.9,"top_k":5,"stop_sequences":["END"],"stream":true,
             "metadata":{"user_id":"u-1"},"thinking":{"type":"adaptive"},"context_management":{"edits":[]},"output_config":{"effort":"high"},
             "messages":[{"role":"user","content":"Hi"}]}
            """);

        AssertJson("""
            {"model":"a","messages":[{"role":"user","content":"Hi"}],"max_tokens":32000,"temperature":0.2,"top_p":0.9,"stop":["END"],
             "stream":true,"stream_options":{"include_usage":true},"user":"u-1"}
            """, chat);
    }

    [Fact]
    public void A_request_whose_model_is_missing_is_refused_before_any_translation()
    {
        var failure = Assert.Throws<GatewayException>(() => MessagesRequestParser.Parse("""{"max_tokens":5,"messages":[{"role":"user","content":"Hi"}]}"""u8.ToArray()));

        Assert.Equal(400, failure.Error.Status);
        Assert.Equal("model", failure.Error.Param);
    }
}
