using SfAi.Core.Logging;
using SfAi.Core.ModelMap;
using SfAi.Core.Providers;
using SfAi.Core.Tests.Support;
using SfAi.Core.Usage;

namespace SfAi.Core.Tests.Logging;

public sealed class CompletionRecordBuilderTests
{
    private static readonly RequestOrigin Origin = new("req-1", "openai-python/1.50.0", "https://app.example");
    private static readonly AliasRoute Priced = Routes.Alias("""{ "provider": "openai", "model": "gpt-4o-mini", "price": { "input": 1, "output": 2, "cachedInput": 0.5 } }""");
    private static readonly AliasRoute Unpriced = Routes.Alias("""{ "provider": "openai", "model": "llama-local" }""");

    private static CompletionRecord Build(
        AliasRoute route, TokenUsage? usage, string userText = "hello world", string? completionText = "hello world", string policy = "full") =>
        new CompletionRecordBuilder(new TokenCounter(), UserTextPolicy.Parse(policy)).Completion(
            Origin,
            new ChatCall("req-1", Requests.UserSays(userText), route),
            new CompletionOutcome(200, usage, "stop", null, completionText),
            TimeSpan.FromMilliseconds(12.3456));

    [Fact]
    public void Uses_upstream_usage_as_reported()
    {
        var record = Build(Priced, new TokenUsage(1000, 200, CachedPromptTokens: 400));

        Assert.Equal((1000, 200, 400, false), (record.TokensIn, record.TokensOut, record.CachedTokensIn, record.TokensEstimated));
    }

    [Fact]
    public void Prices_upstream_usage_at_the_alias_price()
    {
        // 600 × 1 + 400 × 0.5 + 200 × 2 = 1200 per 1M tokens
        var record = Build(Priced, new TokenUsage(1000, 200, CachedPromptTokens: 400));

        Assert.Equal(0.0012m, record.CostUsd);
    }

    [Fact]
    public void Estimates_missing_usage_with_the_tokenizer()
    {
        // prompt: 3 priming + 3 per message + 1 ("user") + 2 ("hello world"); completion: 2 ("hello world")
        var record = Build(Priced, usage: null);

        Assert.Equal((9, 2, 0, true), (record.TokensIn, record.TokensOut, record.CachedTokensIn, record.TokensEstimated));
        Assert.Equal(0.000013m, record.CostUsd);
    }

    [Fact]
    public void Estimates_no_output_when_there_is_no_completion_text() =>
        Assert.Equal(0, Build(Priced, usage: null, completionText: null).TokensOut);

    [Fact]
    public void Has_no_cost_without_a_price() =>
        Assert.Null(Build(Unpriced, new TokenUsage(1000, 200)).CostUsd);

    [Fact]
    public void Context_tail_is_the_last_200_characters_of_the_conversation()
    {
        var text = new string('a', 100) + new string('b', 200);

        var record = Build(Unpriced, new TokenUsage(1, 1), userText: text);

        Assert.Equal(new string('b', 200), record.ContextTailPreview);
    }

    [Fact]
    public void Latest_user_message_length_is_the_real_length_when_the_policy_truncates()
    {
        var record = Build(Unpriced, new TokenUsage(1, 1), userText: new string('x', 50), policy: "truncate:10");

        Assert.Equal(new string('x', 10), record.LatestUserMessage);
        Assert.Equal(50, record.LatestUserMessageLength);
        Assert.Equal(new string('x', 10), record.ContextTailPreview);
    }

    [Fact]
    public void Off_policy_keeps_no_text_but_the_length()
    {
        var record = Build(Unpriced, new TokenUsage(1, 1), userText: "secret plans", policy: "off");

        Assert.Null(record.LatestUserMessage);
        Assert.Null(record.ContextTailPreview);
        Assert.Equal(12, record.LatestUserMessageLength);
    }

    [Fact]
    public void Carries_the_route_origin_and_outcome()
    {
        var record = Build(Priced, new TokenUsage(1, 1));

        Assert.Equal(
            ("req-1", "a", "openai", "gpt-4o-mini", false, 200, "stop", 12.346, "openai-python/1.50.0", "https://app.example"),
            (record.RequestId, record.Alias, record.Provider, record.UpstreamModel, record.Stream, record.Status, record.FinishReason,
                record.LatencyMs, record.UserAgent, record.Origin));
        Assert.Null(record.TtftMs);
    }
}
