using System.Text;
using System.Text.Json.Nodes;
using SfAi.Core.ModelMap;
using SfAi.Core.Providers.OpenAI;
using SfAi.Core.Tests.Support;

namespace SfAi.Core.Tests.Providers.OpenAI;

public sealed class OpenAIRequestRewriterTests
{
    private static JsonObject Rewrite(string request, AliasRoute route) =>
        JsonNode.Parse(OpenAIRequestRewriter.Rewrite(Requests.Parse(request), route))!.AsObject();

    private static void AssertJson(string expected, JsonNode? actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), $"Expected {expected}{Environment.NewLine}but got {actual?.ToJsonString()}");

    [Fact]
    public void Replaces_the_alias_with_the_upstream_model() =>
        Assert.Equal("gpt-4o-mini", Rewrite("""{ "model": "frontend", "messages": [{ "role": "user", "content": "hi" }] }""", Routes.Frontend)["model"]!.GetValue<string>());

    [Fact]
    public void Keeps_every_other_field_untouched()
    {
        const string request = """
            {
              "model": "frontend",
              "messages": [{ "role": "user", "content": [{ "type": "text", "text": "hi" }], "name": "ann" }],
              "tools": [{ "type": "function", "function": { "name": "f", "parameters": { "type": "object", "properties": {} }, "strict": true } }],
              "response_format": { "type": "json_schema", "json_schema": { "name": "x", "schema": { "type": "object" } } },
              "logit_bias": { "50256": -100 },
              "x_vendor_extension": { "nested": [1, 2.5, null, true, "s"] },
              "temperature": 0
            }
            """;

        var rewritten = Rewrite(request, Routes.Frontend);

        var expected = JsonNode.Parse(request)!.AsObject();
        expected["model"] = "gpt-4o-mini";
        AssertJson(expected.ToJsonString(), rewritten);
    }

    [Fact]
    public void Applies_alias_defaults_only_where_the_client_sent_nothing()
    {
        var route = Routes.Alias("""{ "provider": "openai", "model": "gpt-4o-mini", "defaults": { "temperature": 0.3, "max_tokens": 256, "top_p": 0.9 } }""");

        var rewritten = Rewrite("""{ "model": "a", "messages": [{ "role": "user", "content": "hi" }], "temperature": 1, "top_p": null }""", route);

        Assert.Equal(1, rewritten["temperature"]!.GetValue<double>());
        Assert.Equal(256, rewritten["max_tokens"]!.GetValue<int>());
        Assert.True(rewritten.ContainsKey("top_p"));
        Assert.Null(rewritten["top_p"]);
    }

    [Fact]
    public void Asks_for_usage_on_a_stream()
    {
        var rewritten = Rewrite("""{ "model": "frontend", "messages": [{ "role": "user", "content": "hi" }], "stream": true }""", Routes.Frontend);

        AssertJson("""{ "include_usage": true }""", rewritten["stream_options"]);
    }

    [Fact]
    public void Forces_include_usage_on_a_stream_and_keeps_other_stream_options()
    {
        var rewritten = Rewrite(
            """{ "model": "frontend", "messages": [{ "role": "user", "content": "hi" }], "stream": true, "stream_options": { "include_usage": false, "continuous_usage_stats": true } }""",
            Routes.Frontend);

        AssertJson("""{ "include_usage": true, "continuous_usage_stats": true }""", rewritten["stream_options"]);
    }

    [Fact]
    public void Adds_no_stream_options_to_a_non_stream_request()
    {
        var rewritten = Rewrite("""{ "model": "frontend", "messages": [{ "role": "user", "content": "hi" }], "stream": false }""", Routes.Frontend);

        Assert.False(rewritten.ContainsKey("stream_options"));
    }

    [Fact]
    public void Adds_no_stream_options_when_the_alias_drops_them()
    {
        var route = Routes.Alias("""{ "provider": "openai", "model": "m", "request": { "drop": ["stream_options"] } }""");

        var rewritten = Rewrite("""{ "model": "a", "messages": [{ "role": "user", "content": "hi" }], "stream": true, "stream_options": { "include_usage": true } }""", route);

        Assert.False(rewritten.ContainsKey("stream_options"));
        Assert.True(rewritten["stream"]!.GetValue<bool>());
    }

    [Fact]
    public void Applies_rename_drop_and_pin()
    {
        var route = Routes.Alias("""
            { "provider": "openai", "model": "o3", "request": {
              "rename": { "max_tokens": "max_completion_tokens" }, "drop": ["temperature", "absent"], "pin": { "reasoning_effort": "low" } } }
            """);

        var rewritten = Rewrite(
            """{ "model": "a", "messages": [{ "role": "user", "content": "hi" }], "max_tokens": 100, "temperature": 0.2, "reasoning_effort": "high" }""",
            route);

        AssertJson(
            """{ "model": "o3", "messages": [{ "role": "user", "content": "hi" }], "max_completion_tokens": 100, "reasoning_effort": "low" }""",
            rewritten);
    }

    [Fact]
    public void Rename_does_not_overwrite_a_target_the_client_sent()
    {
        var route = Routes.Alias("""{ "provider": "openai", "model": "o3", "request": { "rename": { "max_tokens": "max_completion_tokens" } } }""");

        var rewritten = Rewrite("""{ "model": "a", "messages": [{ "role": "user", "content": "hi" }], "max_tokens": 100, "max_completion_tokens": 500 }""", route);

        Assert.Equal(500, rewritten["max_completion_tokens"]!.GetValue<int>());
        Assert.False(rewritten.ContainsKey("max_tokens"));
    }

    [Fact]
    public void Rename_applies_to_alias_defaults_too()
    {
        var route = Routes.Alias("""
            { "provider": "openai", "model": "o3", "defaults": { "max_tokens": 1024 }, "request": { "rename": { "max_tokens": "max_completion_tokens" } } }
            """);

        var rewritten = Rewrite("""{ "model": "a", "messages": [{ "role": "user", "content": "hi" }] }""", route);

        Assert.Equal(1024, rewritten["max_completion_tokens"]!.GetValue<int>());
        Assert.False(rewritten.ContainsKey("max_tokens"));
    }

    [Fact]
    public void Leaves_the_client_body_untouched()
    {
        var route = Routes.Alias("""
            { "provider": "openai", "model": "o3", "defaults": { "top_p": 0.5 },
              "request": { "rename": { "max_tokens": "max_completion_tokens" }, "drop": ["temperature"], "pin": { "seed": 7 } } }
            """);
        var request = Requests.Parse("""
            { "model": "a", "messages": [{ "role": "user", "content": "hi" }], "stream": true,
              "stream_options": { "continuous_usage_stats": true }, "max_tokens": 10, "temperature": 1 }
            """);
        var before = request.Body.DeepClone();

        OpenAIRequestRewriter.Rewrite(request, route);

        Assert.True(JsonNode.DeepEquals(before, request.Body));
    }

    [Fact]
    public void Same_route_rewrites_request_after_request()
    {
        var route = Routes.Alias("""{ "provider": "openai", "model": "o3", "defaults": { "metadata": { "team": "web" } }, "request": { "pin": { "reasoning_effort": "low" } } }""");
        const string request = """{ "model": "a", "messages": [{ "role": "user", "content": "hi" }] }""";

        var first = Rewrite(request, route);
        var second = Rewrite(request, route);

        Assert.True(JsonNode.DeepEquals(first, second));
        AssertJson("""{ "team": "web" }""", second["metadata"]);
    }

    [Fact]
    public void Writes_non_ascii_text_as_utf8()
    {
        var bytes = OpenAIRequestRewriter.Rewrite(
            Requests.Parse("""{ "model": "frontend", "messages": [{"role":"user","content":"こんにちは、世界 <b>&</b>"}] }"""),
            Routes.Frontend);

        var text = Encoding.UTF8.GetString(bytes);
        Assert.Contains("\"content\":\"こんにちは、世界 <b>&</b>\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Copies_the_client_fields_as_they_were_written()
    {
        const string messages = """[ { "role": "user", "content": "caf\u00e9 \ud83d\ude00" } ]""";
        var bytes = OpenAIRequestRewriter.Rewrite(
            Requests.Parse($$"""{ "model": "frontend", "messages": {{messages}}, "temperature": 1.50, "x_vendor": { "a" : [1, 2] } }"""),
            Routes.Frontend);

        Assert.Equal(
            $$$"""{ "model": "gpt-4o-mini", "messages": {{{messages}}}, "temperature": 1.50, "x_vendor": { "a" : [1, 2] } }""",
            Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public void Adds_usage_to_a_stream_after_the_last_field_and_copies_the_rest_as_written()
    {
        var bytes = OpenAIRequestRewriter.Rewrite(
            Requests.Parse("""{ "stream": true, "model": "frontend", "messages": [ { "role": "user", "content": "hi" } ] }  """),
            Routes.Frontend);

        Assert.Equal(
            """{ "stream": true, "model": "gpt-4o-mini", "messages": [ { "role": "user", "content": "hi" } ],"stream_options":{"include_usage":true} }  """,
            Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public void Escapes_an_upstream_model_name_that_needs_it()
    {
        var route = Routes.Alias("""{ "provider": "openai", "model": "org/model \"v2\" ü" }""");

        var rewritten = Rewrite("""{ "model": "a", "messages": [{ "role": "user", "content": "hi" }] }""", route);

        Assert.Equal("org/model \"v2\" ü", rewritten["model"]!.GetValue<string>());
    }
}
