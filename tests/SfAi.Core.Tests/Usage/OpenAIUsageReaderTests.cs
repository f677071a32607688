using System.Text.Json;
using SfAi.Core.Usage;

namespace SfAi.Core.Tests.Usage;

public sealed class OpenAIUsageReaderTests
{
    private static TokenUsage? Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        return OpenAIUsageReader.Read(document.RootElement);
    }

    [Fact]
    public void Reads_prompt_completion_and_cached_tokens() =>
        Assert.Equal(
            new TokenUsage(8, 9, CachedPromptTokens: 5),
            Read("""{"prompt_tokens":8,"completion_tokens":9,"total_tokens":17,"prompt_tokens_details":{"cached_tokens":5,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0}}"""));

    [Theory]
    [InlineData("""{"prompt_tokens":79,"completion_tokens":1,"total_tokens":80}""")]
    [InlineData("""{"prompt_tokens":79,"completion_tokens":1,"prompt_tokens_details":null}""")]
    [InlineData("""{"prompt_tokens":79,"completion_tokens":1,"prompt_tokens_details":{}}""")]
    public void Missing_cached_tokens_count_as_zero(string usage) =>
        Assert.Equal(new TokenUsage(79, 1), Read(usage));

    [Theory]
    [InlineData("""{"prompt_tokens":12}""", 12, 0)]
    [InlineData("""{"completion_tokens":4}""", 0, 4)]
    public void Missing_side_counts_as_zero(string usage, int prompt, int completion) =>
        Assert.Equal(new TokenUsage(prompt, completion), Read(usage));

    [Theory]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("""{"total_tokens":17}""")]
    [InlineData("""{"prompt_tokens":"8","completion_tokens":"9"}""")]
    public void Is_null_without_token_counts(string usage) => Assert.Null(Read(usage));

    [Fact]
    public void Reported_usage_is_not_marked_estimated() =>
        Assert.False(Read("""{"prompt_tokens":1,"completion_tokens":1}""")!.Estimated);
}
