using System.Text.Json.Nodes;
using SfAi.Core.Usage;

namespace SfAi.Core.Tests.Usage;

public sealed class TokenCounterTests
{
    private readonly TokenCounter _counter = new();

    private static JsonArray Messages(string json) => JsonNode.Parse(json)!.AsArray();

    [Fact]
    public void Counts_hello_world_as_two_o200k_tokens() => Assert.Equal(2, _counter.CountText("hello world"));

    [Fact]
    public void Counts_empty_text_as_zero() => Assert.Equal(0, _counter.CountText(""));

    [Fact]
    public void Counts_one_message_with_priming_and_per_message_overhead()
    {
        // 3 priming + 3 per message + 1 ("user") + 2 ("hello world")
        var count = _counter.CountPrompt(Messages("""[{ "role": "user", "content": "hello world" }]"""));

        Assert.Equal(9, count);
    }

    [Fact]
    public void Counts_each_message_and_a_name_with_its_extra_token()
    {
        var one = _counter.CountPrompt(Messages("""[{ "role": "user", "content": "hello world" }]"""));
        var named = _counter.CountPrompt(Messages("""[{ "role": "user", "content": "hello world", "name": "ann" }]"""));
        var two = _counter.CountPrompt(Messages("""[{ "role": "user", "content": "hello world" }, { "role": "user", "content": "hello world" }]"""));

        Assert.Equal(one + _counter.CountText("ann") + 1, named);
        Assert.Equal(one + 6, two);
    }

    [Fact]
    public void Counts_the_text_parts_of_content_arrays()
    {
        var parts = _counter.CountPrompt(Messages("""
            [{ "role": "user", "content": [{ "type": "text", "text": "hello world" }, { "type": "image_url", "image_url": { "url": "https://example.com/a.png" } }] }]
            """));

        Assert.Equal(9, parts);
    }

    [Fact]
    public void Counts_tool_calls_as_their_json()
    {
        const string toolCalls = """[{"id":"call_1","type":"function","function":{"name":"f","arguments":"{}"}}]""";

        var count = _counter.CountPrompt(Messages($$"""[{ "role": "assistant", "content": null, "tool_calls": {{toolCalls}} }]"""));

        Assert.Equal(3 + 3 + _counter.CountText("assistant") + _counter.CountText(toolCalls), count);
    }

    [Fact]
    public void Empty_conversation_counts_only_the_reply_priming() => Assert.Equal(3, _counter.CountPrompt([]));

    [Fact]
    public void Estimates_a_token_per_four_ascii_characters() => Assert.Equal(3, TokenCounter.EstimateText("hello world"));

    [Fact]
    public void Estimates_a_token_per_character_of_other_scripts() => Assert.Equal(5, TokenCounter.EstimateText("こんにちは"));

    [Fact]
    public void Estimates_a_character_outside_the_basic_plane_as_one_token() => Assert.Equal(1, TokenCounter.EstimateText("😀"));

    [Fact]
    public void Estimated_prompt_follows_the_per_message_accounting()
    {
        var count = TokenCounter.EstimatePrompt(Messages("""[{ "role": "user", "content": "hello world" }]"""));

        Assert.Equal(3 + 3 + TokenCounter.EstimateText("user") + TokenCounter.EstimateText("hello world"), count);
    }

    [Fact]
    public void Estimate_stays_near_the_o200k_count_for_english_prose()
    {
        const string prose = "The gateway resolves the requested model as an alias, calls the provider, and logs one event per completion.";

        var exact = _counter.CountText(prose);

        Assert.InRange(TokenCounter.EstimateText(prose), exact * 0.75, exact * 1.5);
    }
}
