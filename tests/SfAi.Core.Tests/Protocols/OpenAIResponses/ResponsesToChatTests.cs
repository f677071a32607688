using System.Text;
using System.Text.Json.Nodes;
using SfAi.Core.Errors;
using SfAi.Core.Protocols.OpenAIResponses;

namespace SfAi.Core.Tests.Protocols.OpenAIResponses;

/// <summary>Golden translations of Responses API requests into the pivot (OpenAI chat), one rule per case.</summary>
public sealed class ResponsesToChatTests
{
    private static ResponsesTranslation Translate(string json) => ResponsesRequestParser.Parse(Encoding.UTF8.GetBytes(json)).Translation;

    private static JsonObject Chat(string json) => Translate(json).Chat.Body;

    private static void AssertJson(string expected, JsonNode? actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), $"expected {expected}\nactual   {actual?.ToJsonString()}");

    [Fact]
    public void Instructions_and_developer_messages_become_system_messages_and_a_string_input_a_user_message()
    {
        var chat = Chat("""{"model":"a","instructions":"Be brief.","input":[{"type":"message","role":"developer","content":[{"type":"input_text","text":"Rules."}]},{"role":"user","content":"Hi"}]}""");

        AssertJson("""[{"role":"system","content":"Be brief."},{"role":"system","content":"Rules."},{"role":"user","content":"Hi"}]""", chat["messages"]);
        AssertJson("\"a\"", chat["model"]);

        AssertJson("""[{"role":"user","content":"Hello"}]""", Chat("""{"model":"a","input":"Hello"}""")["messages"]);
    }

    [Fact]
    public void User_parts_become_chat_parts_and_a_file_by_id_is_dropped()
    {
        var translation = Translate("""
            {"model":"a","input":[{"role":"user","content":[
              {"type":"input_text","text":"What is this?"},
              {"type":"input_image","image_url":"data:image/png;base64,AAAA","detail":"low"},
              {"type":"input_file","filename":"a.pdf","file_data":"data:application/pdf;base64,BBBB"},
              {"type":"input_image","file_id":"file_1"}]}]}
            """);

        AssertJson("""
            [{"role":"user","content":[
              {"type":"text","text":"What is this?"},
              {"type":"image_url","image_url":{"url":"data:image/png;base64,AAAA","detail":"low"}},
              {"type":"file","file":{"file_data":"data:application/pdf;base64,BBBB","filename":"a.pdf"}}]}]
            """, translation.Chat.Body["messages"]);
        Assert.Equal(["input.content[input_image]"], translation.Dropped);
    }

    [Fact]
    public void Function_calls_join_the_assistant_message_and_outputs_become_tool_messages_while_reasoning_is_never_sent()
    {
        var chat = Chat("""
            {"model":"a","input":[
              {"role":"user","content":"Weather?"},
              {"type":"reasoning","id":"rs_1","summary":[{"type":"summary_text","text":"thinking"}],"encrypted_content":"gAAA"},
              {"type":"message","role":"assistant","content":[{"type":"output_text","text":"Checking."}]},
              {"type":"function_call","call_id":"call_1","name":"get_weather","arguments":"{\"city\":\"Paris\"}"},
              {"type":"function_call","call_id":"call_2","name":"read","namespace":"mcp__fs","arguments":"{}"},
              {"type":"function_call_output","call_id":"call_1","output":"18 C"},
              {"type":"function_call_output","call_id":"call_2","output":[{"type":"input_text","text":"file text"}]}]}
            """);

        AssertJson("""
            [{"role":"user","content":"Weather?"},
             {"role":"assistant","content":"Checking.","tool_calls":[
               {"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}},
               {"id":"call_2","type":"function","function":{"name":"mcp__fs__read","arguments":"{}"}}]},
             {"role":"tool","tool_call_id":"call_1","content":"18 C"},
             {"role":"tool","tool_call_id":"call_2","content":"file text"}]
            """, chat["messages"]);
    }

    [Fact]
    public void Function_and_namespace_tools_are_kept_and_built_in_tools_dropped()
    {
        var translation = Translate("""
            {"model":"a","input":"x","tool_choice":{"type":"function","name":"read","namespace":"mcp__fs"},"parallel_tool_calls":false,
             "tools":[{"type":"function","name":"exec","description":"Run","strict":false,"parameters":{"type":"object"}},
                      {"type":"namespace","name":"mcp__fs","tools":[{"type":"function","name":"read","parameters":{"type":"object"}}]},
                      {"type":"web_search"},{"type":"code_interpreter","container":{"type":"auto"}}]}
            """);

        AssertJson("""
            [{"type":"function","function":{"name":"exec","description":"Run","parameters":{"type":"object"},"strict":false}},
             {"type":"function","function":{"name":"mcp__fs__read","parameters":{"type":"object"}}}]
            """, translation.Chat.Body["tools"]);
        AssertJson("""{"type":"function","function":{"name":"mcp__fs__read"}}""", translation.Chat.Body["tool_choice"]);
        AssertJson("false", translation.Chat.Body["parallel_tool_calls"]);
        Assert.Equal(new QualifiedTool("mcp__fs", "read"), translation.NamespacedTools["mcp__fs__read"]);
        Assert.Equal(["tools[web_search]", "tools[code_interpreter]"], translation.Dropped);
    }

    [Fact]
    public void Sampling_reasoning_structured_output_and_user_map_to_their_chat_parameters()
    {
        var chat = Chat("""
            {"model":"a","input":"x","stream":true,"max_output_tokens":500,"temperature":0.2,"top_p":0.9,"reasoning":{"effort":"high","summary":"auto"},
             "text":{"format":{"type":"json_schema","name":"answer","schema":{"type":"object"},"strict":true}},"prompt_cache_key":"thread-1","store":false}
            """);

        AssertJson("""
            {"model":"a","messages":[{"role":"user","content":"x"}],"stream":true,"stream_options":{"include_usage":true},
             "max_tokens":500,"temperature":0.2,"top_p":0.9,"reasoning_effort":"high",
             "response_format":{"type":"json_schema","json_schema":{"name":"answer","schema":{"type":"object"},"strict":true}},"user":"thread-1"}
            """, chat);
        AssertJson("""{"type":"json_object"}""", Chat("""{"model":"a","input":"x","text":{"format":{"type":"json_object"}}}""")["response_format"]);
    }

    [Fact]
    public void A_request_without_input_is_flagged_for_the_codec_to_refuse()
    {
        var translation = Translate("""{"model":"a","previous_response_id":"resp_1"}""");

        Assert.False(translation.HasInput);
        Assert.Throws<GatewayException>(() => new ResponsesCodec(TimeProvider.System).FromChat(ResponsesRequestParser.Parse("""{"model":"a","input":[]}"""u8.ToArray()), null!));
    }
}
