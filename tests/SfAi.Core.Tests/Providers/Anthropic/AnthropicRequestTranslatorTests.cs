using SfAi.Core.ModelMap;
using SfAi.Core.Errors;
using SfAi.Core.Providers.Anthropic;
using static SfAi.Core.Tests.Providers.Anthropic.AnthropicTestRoutes;

namespace SfAi.Core.Tests.Providers.Anthropic;

/// <summary>Golden tests: an OpenAI request in, the exact Anthropic Messages request out.</summary>
public sealed class AnthropicRequestTranslatorTests
{
    [Fact]
    public void Translates_a_plain_conversation()
    {
        var body = AnthropicRequestTranslator.Translate(Request("""
            {"model":"backend","messages":[{"role":"user","content":"Hello"}]}
            """), Route());

        AssertJsonEqual("""
            {"model":"claude-sonnet-4-5","messages":[{"role":"user","content":[{"type":"text","text":"Hello"}]}],"max_tokens":64000}
            """, body);
    }

    [Fact]
    public void Hoists_system_and_developer_messages_in_order_wherever_they_stand()
    {
        var body = AnthropicRequestTranslator.Translate(Request("""
            {"model":"backend","messages":[
              {"role":"system","content":"Be brief."},
              {"role":"user","content":"Hi"},
              {"role":"developer","content":[{"type":"text","text":"Answer in French."}]},
              {"role":"assistant","content":"Bonjour"},
              {"role":"system","content":"Never use emoji."},
              {"role":"user","content":"And now?"}]}
            """), Route());

        AssertJsonEqual("""
            [{"type":"text","text":"Be brief."},{"type":"text","text":"Answer in French."},{"type":"text","text":"Never use emoji."}]
            """, body["system"]!);
        AssertJsonEqual("""
            [{"role":"user","content":[{"type":"text","text":"Hi"}]},
             {"role":"assistant","content":[{"type":"text","text":"Bonjour"}]},
             {"role":"user","content":[{"type":"text","text":"And now?"}]}]
            """, body["messages"]!);
    }

    [Theory]
    [InlineData("""{"max_completion_tokens":100,"max_tokens":50}""", null, null, 100)]
    [InlineData("""{"max_tokens":50}""", null, null, 50)]
    [InlineData("{}", """{"max_tokens":700}""", null, 700)]
    [InlineData("{}", null, 12345, 12345)]
    [InlineData("{}", null, null, 64000)]
    public void Chooses_max_tokens_from_the_client_then_the_alias_then_the_model_maximum(string fields, string? defaults, int? maxOutput, int expected)
    {
        var extra = fields == "{}" ? string.Empty : "," + fields[1..^1];
        var request = Request($$$"""{"model":"backend","messages":[{"role":"user","content":"x"}]{{{extra}}}}""");

        var body = AnthropicRequestTranslator.Translate(request, Route(defaults, maxOutput));

        Assert.Equal(expected, body["max_tokens"]!.GetValue<int>());
    }

    [Fact]
    public void Maps_sampling_stop_and_user()
    {
        var body = AnthropicRequestTranslator.Translate(Request("""
            {"model":"backend","messages":[{"role":"user","content":"x"}],"temperature":0.2,"top_p":0.9,"stop":"END","user":"alice"}
            """), Route());

        Assert.Equal(0.2, body["temperature"]!.GetValue<double>());
        Assert.Equal(0.9, body["top_p"]!.GetValue<double>());
        AssertJsonEqual("""["END"]""", body["stop_sequences"]!);
        AssertJsonEqual("""{"user_id":"alice"}""", body["metadata"]!);
    }

    [Fact]
    public void Maps_a_stop_array_to_stop_sequences()
    {
        var body = AnthropicRequestTranslator.Translate(Request("""
            {"model":"backend","messages":[{"role":"user","content":"x"}],"stop":["a","b"]}
            """), Route());

        AssertJsonEqual("""["a","b"]""", body["stop_sequences"]!);
    }

    [Fact]
    public void Translates_image_parts_from_data_and_https_urls()
    {
        var body = AnthropicRequestTranslator.Translate(Request("""
            {"model":"backend","messages":[{"role":"user","content":[
              {"type":"text","text":"Compare"},
              {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}},
              {"type":"image_url","image_url":{"url":"https://example.com/cat.jpg","detail":"high"}}]}]}
            """), Route());

        AssertJsonEqual("""
            [{"role":"user","content":[
              {"type":"text","text":"Compare"},
              {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}},
              {"type":"image","source":{"type":"url","url":"https://example.com/cat.jpg"}}]}]
            """, body["messages"]!);
    }

    [Fact]
    public void Leaves_out_empty_text_parts_and_empty_assistant_turns()
    {
        var body = AnthropicRequestTranslator.Translate(Request("""
            {"model":"backend","messages":[
              {"role":"user","content":[{"type":"text","text":""},{"type":"text","text":"Hi"}]},
              {"role":"assistant","content":""},
              {"role":"user","content":"  "},
              {"role":"user","content":"Still there?"}]}
            """), Route());

        AssertJsonEqual("""
            [{"role":"user","content":[{"type":"text","text":"Hi"},{"type":"text","text":"Still there?"}]}]
            """, body["messages"]!);
    }

    [Fact]
    public void Translates_tools_and_their_schemas()
    {
        var body = AnthropicRequestTranslator.Translate(Request("""
            {"model":"backend","messages":[{"role":"user","content":"Weather?"}],
             "tools":[{"type":"function","function":{"name":"weather","description":"Get weather","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]},"strict":true}},
                      {"type":"function","function":{"name":"now"}}]}
            """), Route());

        AssertJsonEqual("""
            [{"name":"weather","description":"Get weather","input_schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]},"strict":true},
             {"name":"now","input_schema":{"type":"object","properties":{}}}]
            """, body["tools"]!);
        Assert.Null(body["tool_choice"]);
    }

    [Theory]
    [InlineData("\"auto\"", """{"type":"auto"}""")]
    [InlineData("\"none\"", """{"type":"none"}""")]
    [InlineData("\"required\"", """{"type":"any"}""")]
    [InlineData("""{"type":"function","function":{"name":"weather"}}""", """{"type":"tool","name":"weather"}""")]
    public void Maps_tool_choice(string openAIChoice, string anthropicChoice)
    {
        var body = AnthropicRequestTranslator.Translate(Request($$$"""
            {"model":"backend","messages":[{"role":"user","content":"x"}],
             "tools":[{"type":"function","function":{"name":"weather"}}],"tool_choice":{{{openAIChoice}}}}
            """), Route());

        AssertJsonEqual(anthropicChoice, body["tool_choice"]!);
    }

    [Fact]
    public void Maps_parallel_tool_calls_false_to_disable_parallel_tool_use()
    {
        var body = AnthropicRequestTranslator.Translate(Request("""
            {"model":"backend","messages":[{"role":"user","content":"x"}],
             "tools":[{"type":"function","function":{"name":"weather"}}],"tool_choice":"required","parallel_tool_calls":false}
            """), Route());

        AssertJsonEqual("""{"type":"any","disable_parallel_tool_use":true}""", body["tool_choice"]!);
    }

    [Fact]
    public void Translates_a_tool_call_round_trip_merging_tool_results_into_one_user_turn()
    {
        var body = AnthropicRequestTranslator.Translate(Request("""
            {"model":"backend","messages":[
              {"role":"user","content":"Weather in Paris and Rome?"},
              {"role":"assistant","content":"Checking.","tool_calls":[
                {"id":"toolu_1","type":"function","function":{"name":"weather","arguments":"{\"city\":\"Paris\"}"}},
                {"id":"toolu_2","type":"function","function":{"name":"weather","arguments":"{\"city\":\"Rome\"}"}}]},
              {"role":"tool","tool_call_id":"toolu_1","content":"18 C"},
              {"role":"tool","tool_call_id":"toolu_2","content":[{"type":"text","text":"24 C"}]},
              {"role":"user","content":"Which is warmer?"}],
             "tools":[{"type":"function","function":{"name":"weather"}}]}
            """), Route());

        AssertJsonEqual("""
            [{"role":"user","content":[{"type":"text","text":"Weather in Paris and Rome?"}]},
             {"role":"assistant","content":[
               {"type":"text","text":"Checking."},
               {"type":"tool_use","id":"toolu_1","name":"weather","input":{"city":"Paris"}},
               {"type":"tool_use","id":"toolu_2","name":"weather","input":{"city":"Rome"}}]},
             {"role":"user","content":[
               {"type":"tool_result","tool_use_id":"toolu_1","content":[{"type":"text","text":"18 C"}]},
               {"type":"tool_result","tool_use_id":"toolu_2","content":[{"type":"text","text":"24 C"}]},
               {"type":"text","text":"Which is warmer?"}]}]
            """, body["messages"]!);
    }

    [Fact]
    public void Sends_an_assistant_tool_call_without_text_as_tool_use_only()
    {
        var body = AnthropicRequestTranslator.Translate(Request("""
            {"model":"backend","messages":[
              {"role":"user","content":"Time?"},
              {"role":"assistant","content":null,"tool_calls":[{"id":"t1","type":"function","function":{"name":"now","arguments":""}}]},
              {"role":"tool","tool_call_id":"t1","content":"noon"}]}
            """), Route());

        AssertJsonEqual("""
            {"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"now","input":{}}]}
            """, body["messages"]![1]!);
    }

    [Fact]
    public void Uses_structured_outputs_for_a_json_schema_response_format()
    {
        var body = AnthropicRequestTranslator.Translate(Request("""
            {"model":"backend","messages":[{"role":"user","content":"Extract order IDs"}],
             "response_format":{"type":"json_schema","json_schema":{"name":"ids","schema":{"type":"array","items":{"type":"integer"}},"strict":true}}}
            """), Route());

        AssertJsonEqual("""{"format":{"type":"json_schema","schema":{"type":"array","items":{"type":"integer"}}}}""", body["output_config"]!);
    }

    [Fact]
    public void Forces_the_json_object_tool_for_a_json_object_response_format()
    {
        var body = AnthropicRequestTranslator.Translate(Request("""
            {"model":"backend","messages":[{"role":"user","content":"A JSON object please"}],"response_format":{"type":"json_object"}}
            """), Route());

        AssertJsonEqual("""
            [{"name":"json_object","description":"Respond with your complete answer as this JSON object.","input_schema":{"type":"object"}}]
            """, body["tools"]!);
        AssertJsonEqual("""{"type":"tool","name":"json_object"}""", body["tool_choice"]!);
    }

    [Theory]
    [InlineData("minimal", 1024)]
    [InlineData("low", 2048)]
    [InlineData("medium", 8192)]
    [InlineData("high", 24576)]
    public void Maps_reasoning_effort_to_a_thinking_budget(string effort, int budget)
    {
        var body = AnthropicRequestTranslator.Translate(Request($$"""
            {"model":"backend","messages":[{"role":"user","content":"Think"}],"reasoning_effort":"{{effort}}"}
            """), Route());

        AssertJsonEqual($$"""{"type":"enabled","budget_tokens":{{budget}}}""", body["thinking"]!);
    }

    [Fact]
    public void Keeps_the_thinking_budget_below_max_tokens()
    {
        var body = AnthropicRequestTranslator.Translate(Request("""
            {"model":"backend","messages":[{"role":"user","content":"Think"}],"reasoning_effort":"high","max_tokens":4000}
            """), Route());

        Assert.Equal(3999, body["thinking"]!["budget_tokens"]!.GetValue<int>());
    }

    [Fact]
    public void Sends_signed_thinking_blocks_back_before_the_tool_use_they_led_to()
    {
        var body = AnthropicRequestTranslator.Translate(Request("""
            {"model":"backend","reasoning_effort":"low","messages":[
              {"role":"user","content":"Weather in Florence?"},
              {"role":"assistant","content":null,
               "thinking_blocks":[{"type":"thinking","thinking":"Use the tool.","signature":"EsQD"}],
               "tool_calls":[{"id":"toolu_0171","type":"function","function":{"name":"weather","arguments":"{\"location\":\"Florence, Italy\"}"}}]},
              {"role":"tool","tool_call_id":"toolu_0171","content":"40 C"}],
             "tools":[{"type":"function","function":{"name":"weather"}}]}
            """), Route());

        AssertJsonEqual("""
            [{"type":"thinking","thinking":"Use the tool.","signature":"EsQD"},
             {"type":"tool_use","id":"toolu_0171","name":"weather","input":{"location":"Florence, Italy"}}]
            """, body["messages"]![1]!["content"]!);
        Assert.NotNull(body["thinking"]);
    }

    [Fact]
    public void Turns_thinking_off_in_a_tool_loop_whose_client_dropped_the_signed_thinking()
    {
        var body = AnthropicRequestTranslator.Translate(Request("""
            {"model":"backend","reasoning_effort":"low","messages":[
              {"role":"user","content":"Weather in Florence?"},
              {"role":"assistant","content":null,"tool_calls":[{"id":"t1","type":"function","function":{"name":"weather","arguments":"{}"}}]},
              {"role":"tool","tool_call_id":"t1","content":"40 C"}],
             "tools":[{"type":"function","function":{"name":"weather"}}]}
            """), Route());

        Assert.Null(body["thinking"]);
    }

    [Fact]
    public void Asks_for_a_stream_when_the_client_streams()
    {
        var body = AnthropicRequestTranslator.Translate(Request("""
            {"model":"backend","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"x"}]}
            """), Route());

        Assert.True(body["stream"]!.GetValue<bool>());
        Assert.Null(body["stream_options"]);
    }

    [Fact]
    public void Trims_trailing_white_space_from_a_prefilled_assistant_turn()
    {
        var body = AnthropicRequestTranslator.Translate(Request("""
            {"model":"backend","messages":[{"role":"user","content":"Count"},{"role":"assistant","content":"One, two, "}]}
            """), Route());

        Assert.Equal("One, two,", body["messages"]![1]!["content"]![0]!["text"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("\"n\":2", "n")]
    [InlineData("\"logprobs\":true", "logprobs")]
    [InlineData("\"audio\":{\"voice\":\"alloy\"}", "audio")]
    [InlineData("\"modalities\":[\"text\",\"audio\"]", "modalities")]
    [InlineData("\"web_search_options\":{}", "web_search_options")]
    public void Refuses_parameters_whose_meaning_Claude_cannot_keep_under_either_policy(string field, string param)
    {
        foreach (var policy in new[] { UnsupportedParameterPolicy.Drop, UnsupportedParameterPolicy.Error })
        {
            var error = Assert.Throws<GatewayException>(() => AnthropicRequestTranslator.Translate(Request($$$"""
                {"model":"backend","messages":[{"role":"user","content":"x"}],{{{field}}}}
                """), Route() with { UnsupportedParameters = policy }));

            Assert.Equal(400, error.Error.Status);
            Assert.Equal(param, error.Error.Param);
            Assert.Equal("unsupported_parameter", error.Error.Code);
            Assert.Contains($"'{param}'", error.Error.Message, StringComparison.Ordinal);
        }
    }

    public static TheoryData<string, string> Hints() => new()
    {
        { "\"top_logprobs\":3", "top_logprobs" },
        { "\"presence_penalty\":0.5", "presence_penalty" },
        { "\"frequency_penalty\":1", "frequency_penalty" },
        { "\"logit_bias\":{\"50256\":-100}", "logit_bias" },
        { "\"seed\":42", "seed" },
        { "\"prediction\":{\"type\":\"content\",\"content\":\"x\"}", "prediction" },
        { "\"service_tier\":\"flex\"", "service_tier" },
        { "\"store\":true", "store" },
    };

    [Theory]
    [MemberData(nameof(Hints))]
    public void Drops_hints_that_do_not_change_what_is_asked_by_default_and_names_them(string field, string param)
    {
        var body = AnthropicRequestTranslator.Translate(Request($$$"""
            {"model":"backend","messages":[{"role":"user","content":"x"}],{{{field}}}}
            """), Route(), out var dropped);

        Assert.Equal([param], dropped);
        Assert.False(body.ContainsKey(param));
    }

    [Theory]
    [MemberData(nameof(Hints))]
    public void Refuses_hints_with_a_400_naming_them_under_the_error_policy(string field, string param)
    {
        var error = Assert.Throws<GatewayException>(() => AnthropicRequestTranslator.Translate(Request($$$"""
            {"model":"backend","messages":[{"role":"user","content":"x"}],{{{field}}}}
            """), Route() with { UnsupportedParameters = UnsupportedParameterPolicy.Error }));

        Assert.Equal(400, error.Error.Status);
        Assert.Equal(param, error.Error.Param);
        Assert.Equal("unsupported_parameter", error.Error.Code);
    }

    [Theory]
    [InlineData("\"n\":1")]
    [InlineData("\"logprobs\":false")]
    [InlineData("\"presence_penalty\":0")]
    [InlineData("\"frequency_penalty\":0.0")]
    [InlineData("\"store\":false")]
    [InlineData("\"modalities\":[\"text\"]")]
    [InlineData("\"seed\":null")]
    public void Accepts_parameters_at_their_neutral_value(string field)
    {
        var body = AnthropicRequestTranslator.Translate(Request($$$"""
            {"model":"backend","messages":[{"role":"user","content":"x"}],{{{field}}}}
            """), Route());

        Assert.Equal("claude-sonnet-4-5", body["model"]!.GetValue<string>());
    }

    [Fact]
    public void Refuses_tool_call_arguments_that_are_not_JSON_naming_the_path()
    {
        var error = Assert.Throws<GatewayException>(() => AnthropicRequestTranslator.Translate(Request("""
            {"model":"backend","messages":[{"role":"user","content":"x"},
              {"role":"assistant","tool_calls":[{"id":"t1","type":"function","function":{"name":"f","arguments":"{oops"}}]}]}
            """), Route()));

        Assert.Equal("messages[1].tool_calls[0].function.arguments", error.Error.Param);
    }
}
