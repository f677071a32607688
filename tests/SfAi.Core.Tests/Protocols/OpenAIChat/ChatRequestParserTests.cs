using System.Text;
using System.Text.Json.Nodes;
using SfAi.Core.Protocols.OpenAIChat;
using SfAi.Core.Errors;

namespace SfAi.Core.Tests.Protocols.OpenAIChat;

public sealed class ChatRequestParserTests
{
    private const string Messages = """[{ "role": "user", "content": "hi" }]""";

    private static GatewayError Rejection(string body) =>
        Assert.Throws<GatewayException>(() => ChatRequestParser.Parse(Encoding.UTF8.GetBytes(body))).Error;

    private static ChatRequest Parse(string body) => ChatRequestParser.Parse(Encoding.UTF8.GetBytes(body));

    [Fact]
    public void Rejects_an_empty_body()
    {
        var error = Rejection("");

        Assert.Equal((400, "invalid_request_error", null, null), (error.Status, error.Type, error.Param, error.Code));
        Assert.Contains("empty", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{")]
    [InlineData("model=frontend")]
    [InlineData("""{ "model": "frontend", }""")]
    public void Rejects_a_body_that_is_not_json(string body)
    {
        var error = Rejection(body);

        Assert.Equal((400, null, null), (error.Status, error.Param, error.Code));
        Assert.StartsWith("We could not parse the JSON body of your request", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[]", "an array")]
    [InlineData("\"hello\"", "a string")]
    [InlineData("42", "a number")]
    [InlineData("null", "null")]
    public void Rejects_a_body_that_is_not_an_object(string body, string described)
    {
        var error = Rejection(body);

        Assert.Equal((400, null, null), (error.Status, error.Param, error.Code));
        Assert.Equal($"The request body must be a JSON object, but got {described}.", error.Message);
    }

    [Theory]
    [InlineData($$"""{ "messages": {{Messages}} }""", "model", "missing_required_parameter")]
    [InlineData($$"""{ "model": null, "messages": {{Messages}} }""", "model", "missing_required_parameter")]
    [InlineData($$"""{ "model": 4, "messages": {{Messages}} }""", "model", "invalid_type")]
    [InlineData($$"""{ "model": ["frontend"], "messages": {{Messages}} }""", "model", "invalid_type")]
    [InlineData($$"""{ "model": "", "messages": {{Messages}} }""", "model", "invalid_value")]
    [InlineData($$"""{ "model": "  ", "messages": {{Messages}} }""", "model", "invalid_value")]
    [InlineData("""{ "model": "frontend" }""", "messages", "missing_required_parameter")]
    [InlineData("""{ "model": "frontend", "messages": null }""", "messages", "missing_required_parameter")]
    [InlineData("""{ "model": "frontend", "messages": "hi" }""", "messages", "invalid_type")]
    [InlineData("""{ "model": "frontend", "messages": { "role": "user" } }""", "messages", "invalid_type")]
    [InlineData("""{ "model": "frontend", "messages": [] }""", "messages", "empty_array")]
    [InlineData("""{ "model": "frontend", "messages": ["hi"] }""", "messages[0]", "invalid_type")]
    [InlineData("""{ "model": "frontend", "messages": [{ "role": "user", "content": "a" }, null] }""", "messages[1]", "invalid_type")]
    [InlineData("""{ "model": "frontend", "messages": [{ "content": "hi" }] }""", "messages[0].role", "missing_required_parameter")]
    [InlineData("""{ "model": "frontend", "messages": [{ "role": 1, "content": "hi" }] }""", "messages[0].role", "invalid_type")]
    [InlineData("""{ "model": "frontend", "messages": [{ "role": "user", "content": 1 }] }""", "messages[0].content", "invalid_type")]
    [InlineData("""{ "model": "frontend", "messages": [{ "role": "user", "content": { "text": "hi" } }] }""", "messages[0].content", "invalid_type")]
    [InlineData($$"""{ "model": "frontend", "messages": {{Messages}}, "stream": "true" }""", "stream", "invalid_type")]
    [InlineData($$"""{ "model": "frontend", "messages": {{Messages}}, "stream": 1 }""", "stream", "invalid_type")]
    [InlineData($$"""{ "model": "frontend", "messages": {{Messages}}, "stream": true, "stream_options": true }""", "stream_options", "invalid_type")]
    [InlineData($$"""{ "model": "frontend", "messages": {{Messages}}, "stream_options": [] }""", "stream_options", "invalid_type")]
    public void Rejects_a_bad_field_naming_it(string body, string param, string code)
    {
        var error = Rejection(body);

        Assert.Equal((400, "invalid_request_error", param, code), (error.Status, error.Type, error.Param, error.Code));
        Assert.Equal("bad_request", error.Kind);
        Assert.Contains($"'{param}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Type_error_says_what_was_expected_and_what_came() =>
        Assert.Equal(
            "Invalid type for 'messages[0].content': expected a string or an array of content parts, but got a number instead.",
            Rejection("""{ "model": "frontend", "messages": [{ "role": "user", "content": 1 }] }""").Message);

    [Fact]
    public void Reads_model_messages_and_stream()
    {
        var request = Parse("""{ "model": "frontend", "messages": [{ "role": "system", "content": "be brief" }, { "role": "user", "content": "hi" }], "stream": true }""");

        Assert.Equal("frontend", request.Model);
        Assert.Equal(2, request.Messages.Count);
        Assert.True(request.Stream);
    }

    [Fact]
    public void Keeps_every_field_in_the_body()
    {
        const string body = """
            { "model": "frontend", "messages": [{ "role": "user", "content": "hi", "x_tag": 1 }],
              "temperature": 0.2, "x_vendor": { "nested": [1, null, "two"] }, "tools": [{ "type": "function", "function": { "name": "f" } }] }
            """;

        var request = Parse(body);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(body), request.Body));
    }

    [Theory]
    [InlineData("""[{ "role": "assistant", "content": null, "tool_calls": [] }]""")]
    [InlineData("""[{ "role": "assistant" }]""")]
    [InlineData("""[{ "role": "user", "content": [{ "type": "text", "text": "hi" }] }]""")]
    [InlineData("""[{ "role": "any-role-the-upstream-judges", "content": "hi" }]""")]
    public void Accepts_messages_the_upstream_may_accept(string messages) =>
        Assert.Single(Parse($$"""{ "model": "frontend", "messages": {{messages}} }""").Messages);

    [Theory]
    [InlineData("""  "stream": true, "stream_options": { "include_usage": true }""", true)]
    [InlineData("""  "stream": true, "stream_options": { "include_usage": false }""", false)]
    [InlineData("""  "stream": true, "stream_options": { "include_usage": "true" }""", false)]
    [InlineData("""  "stream": true, "stream_options": {}""", false)]
    [InlineData("""  "stream": true""", false)]
    [InlineData("""  "stream": false, "stream_options": { "include_usage": true }""", false)]
    [InlineData("""  "stream_options": { "include_usage": true }""", false)]
    [InlineData("""  "stream": null, "stream_options": null""", false)]
    public void Client_wants_usage_only_on_a_stream_that_asks_for_it(string fields, bool wantsUsage) =>
        Assert.Equal(wantsUsage, Parse($$"""{ "model": "frontend", "messages": {{Messages}}, {{fields}} }""").ClientWantsUsage);

    [Theory]
    [InlineData($$"""{ "model": "a", "model": "b", "messages": {{Messages}} }""")]
    [InlineData("""{ "model": "a", "messages": [{ "role": "user", "role": "user" }] }""")]
    [InlineData("""{ "model": "a", "messages": [{ "role": "user", "content": [{ "type": "text", "x": { "k": 1, "k": 2 } }] }] }""")]
    [InlineData($$"""{ "model": "a", "mod\u0065l": "b", "messages": {{Messages}} }""")]
    [InlineData($$"""{ "model": "a", "messages": {{Messages}}, "x": { "k1": 1, "k2": 1, "k3": 1, "k4": 1, "k5": 1, "k6": 1, "k7": 1, "k8": 1, "k9": 1, "k10": 1, "k11": 1, "k12": 1, "k13": 1, "k14": 1, "k15": 1, "k16": 1, "k17": 1, "k3": 2 } }""")]
    public void Rejects_a_key_repeated_at_any_level(string body)
    {
        var error = Rejection(body);

        Assert.Equal(400, error.Status);
        Assert.StartsWith("We could not parse the JSON body of your request: Duplicate property", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData($$"""{ "model": "a", "messages": {{Messages}}, "x": { "\ud800": 1, "\ud800": 2 } }""", "name", "\\ud800")]
    [InlineData("""{ "model": "a", "messages": [{ "role": "\ud800", "content": "hi" }] }""", "string", "\\ud800")]
    [InlineData("""{ "model": "a", "messages": [{ "role": "user", "content": "a\\\udc00 b" }] }""", "string", "\\udc00")]
    [InlineData("""{ "model": "a", "messages": [{ "role": "user", "content": "\ud83d\ud83d\ude00" }] }""", "string", "\\ud83d")]
    public void Rejects_text_that_escapes_an_unpaired_surrogate(string body, string where, string escape)
    {
        var error = Rejection(body);

        Assert.Equal(400, error.Status);
        Assert.StartsWith($"We could not parse the JSON body of your request: The {where} at byte offset", error.Message, StringComparison.Ordinal);
        Assert.Contains($"escapes an unpaired surrogate ({escape}", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\\ud83d\\ude00")]
    [InlineData("\\\\ud800")]
    [InlineData("\\u00e9\\n\\\"")]
    public void Accepts_escapes_that_are_unicode(string escaped) =>
        Assert.Equal("a", Parse($$"""{ "model": "a", "messages": [{ "role": "user", "content": "{{escaped}}" }] }""").Model);

    [Fact]
    public void Builds_the_tree_only_when_asked_and_it_matches_the_body()
    {
        var request = Parse("""{ "model": "frontend", "messages": [{ "role": "user", "content": "hi" }], "temperature": 0.5 }""");

        Assert.Same(request.Messages, request.Body["messages"]);
        Assert.Equal(0.5, request.Body["temperature"]!.GetValue<double>());
    }
}
