using System.Text;
using System.Text.Json.Nodes;
using SfAi.Core.Errors;
using SfAi.Core.Providers.Anthropic;
using static SfAi.Core.Tests.Providers.Anthropic.AnthropicTestRoutes;

namespace SfAi.Core.Tests.Providers.Anthropic;

/// <summary>Golden tests: an Anthropic message in, the exact OpenAI chat.completion out.</summary>
public sealed class AnthropicResponseTranslatorTests
{
    private static JsonNode Translate(string message, bool jsonObjectMode = false) =>
        JsonNode.Parse(AnthropicResponseTranslator.Translate(Encoding.UTF8.GetBytes(message), 1_700_000_000, jsonObjectMode).Json)!;

    [Fact]
    public void Translates_text_stop_reason_and_usage_with_cache_tokens()
    {
        var completion = Translate("""
            {"id":"msg_013Zva2CMHLNnXjNJJKqJ2EF","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929",
             "content":[{"type":"text","text":"Hi! "},{"type":"text","text":"My name is Claude."}],
             "stop_reason":"end_turn","stop_sequence":null,
             "usage":{"input_tokens":2095,"cache_read_input_tokens":1000,"cache_creation_input_tokens":100,"output_tokens":503}}
            """);

        AssertJsonEqual("""
            {"id":"msg_013Zva2CMHLNnXjNJJKqJ2EF","object":"chat.completion","created":1700000000,"model":"claude-sonnet-4-5-20250929",
             "choices":[{"index":0,"message":{"role":"assistant","content":"Hi! My name is Claude.","refusal":null},"logprobs":null,"finish_reason":"stop"}],
             "usage":{"prompt_tokens":3195,"completion_tokens":503,"total_tokens":3698,"prompt_tokens_details":{"cached_tokens":1000}}}
            """, completion);
    }

    [Fact]
    public void Translates_tool_calls_in_order_with_arguments_as_JSON_strings()
    {
        var completion = Translate("""
            {"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5",
             "content":[{"type":"tool_use","id":"toolu_a","name":"weather","input":{"city":"Paris"}},
                        {"type":"tool_use","id":"toolu_b","name":"weather","input":{"city":"Rome","units":"c"}}],
             "stop_reason":"tool_use","usage":{"input_tokens":10,"output_tokens":20}}
            """);

        AssertJsonEqual("""
            {"role":"assistant","content":null,"refusal":null,"tool_calls":[
              {"id":"toolu_a","type":"function","function":{"name":"weather","arguments":"{\"city\":\"Paris\"}"}},
              {"id":"toolu_b","type":"function","function":{"name":"weather","arguments":"{\"city\":\"Rome\",\"units\":\"c\"}"}}]}
            """, completion["choices"]![0]!["message"]!);
        Assert.Equal("tool_calls", completion["choices"]![0]!["finish_reason"]!.GetValue<string>());
    }

    [Fact]
    public void Returns_thinking_as_reasoning_content_and_keeps_the_signed_blocks()
    {
        var completion = Translate("""
            {"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5",
             "content":[{"type":"thinking","thinking":"Let me think.","signature":"sig=="},{"type":"text","text":"42"}],
             "stop_reason":"end_turn","usage":{"input_tokens":10,"output_tokens":20}}
            """);

        var message = completion["choices"]![0]!["message"]!;
        Assert.Equal("Let me think.", message["reasoning_content"]!.GetValue<string>());
        AssertJsonEqual("""[{"type":"thinking","thinking":"Let me think.","signature":"sig=="}]""", message["thinking_blocks"]!);
        Assert.Equal("42", message["content"]!.GetValue<string>());
    }

    [Fact]
    public void Returns_the_json_object_tool_input_as_the_message_content()
    {
        var completion = Translate("""
            {"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5",
             "content":[{"type":"tool_use","id":"toolu_j","name":"json_object","input":{"answer":42}}],
             "stop_reason":"tool_use","usage":{"input_tokens":10,"output_tokens":5}}
            """, jsonObjectMode: true);

        Assert.Equal("""{"answer":42}""", completion["choices"]![0]!["message"]!["content"]!.GetValue<string>());
        Assert.Null(completion["choices"]![0]!["message"]!["tool_calls"]);
        Assert.Equal("stop", completion["choices"]![0]!["finish_reason"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("end_turn", "stop")]
    [InlineData("stop_sequence", "stop")]
    [InlineData("pause_turn", "stop")]
    [InlineData("max_tokens", "length")]
    [InlineData("model_context_window_exceeded", "length")]
    [InlineData("tool_use", "tool_calls")]
    [InlineData("refusal", "content_filter")]
    [InlineData("some_future_reason", "some_future_reason")]
    public void Maps_stop_reasons_to_finish_reasons(string stopReason, string finishReason) =>
        Assert.Equal(finishReason, AnthropicStopReasons.ToFinishReason(stopReason, jsonObjectMode: false));

    [Theory]
    [InlineData(400, "invalid_request_error", 400, "invalid_request_error", null)]
    [InlineData(413, "request_too_large", 413, "invalid_request_error", "request_too_large")]
    [InlineData(429, "rate_limit_error", 429, "rate_limit_error", "rate_limit_exceeded")]
    [InlineData(529, "overloaded_error", 503, "server_error", "overloaded")]
    [InlineData(401, "authentication_error", 502, "upstream_error", "upstream_authentication_failed")]
    [InlineData(404, "not_found_error", 502, "upstream_error", "upstream_not_found")]
    [InlineData(500, "api_error", 502, "upstream_error", "upstream_unavailable")]
    public void Maps_Anthropic_errors_to_OpenAI_status_and_shape(int upstreamStatus, string upstreamType, int status, string type, string? code)
    {
        var body = Encoding.UTF8.GetBytes($$"""{"type":"error","error":{"type":"{{upstreamType}}","message":"upstream says no"},"request_id":"req_1"}""");

        var error = AnthropicErrorMapper.FromResponse("anthropic", upstreamStatus, body, retryAfter: null);

        Assert.Equal(status, error.Status);
        Assert.Equal(type, error.Type);
        Assert.Equal(code, error.Code);
        Assert.Contains("upstream says no", error.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorKinds.UpstreamError, error.Kind);
    }

    [Fact]
    public void Keeps_the_upstream_message_and_Retry_After_of_a_rate_limit()
    {
        var captured = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "anthropic", "real-error-429-rate_limit.json")))!;
        var body = Encoding.UTF8.GetBytes(captured["body"]!.ToJsonString());

        var error = AnthropicErrorMapper.FromResponse("anthropic", 429, body, retryAfter: "30");

        Assert.Equal(429, error.Status);
        Assert.Equal("30", error.RetryAfter);
        Assert.StartsWith("This request would exceed your organization's rate limit", error.Message, StringComparison.Ordinal);
    }
}
