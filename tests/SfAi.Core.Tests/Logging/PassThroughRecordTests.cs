using System.Text;
using SfAi.Core.Logging;
using SfAi.Core.Protocols;
using SfAi.Core.Protocols.OpenAICompletions;
using SfAi.Core.Protocols.OpenAIEmbeddings;
using SfAi.Core.Providers;
using SfAi.Core.Tests.Support;
using SfAi.Core.Usage;

namespace SfAi.Core.Tests.Logging;

/// <summary>The <c>chat_completion</c> record of an embeddings or legacy completion call.</summary>
public sealed class PassThroughRecordTests
{
    private static readonly RequestOrigin Origin = new("req-1", "continue", null);

    private static CompletionRecord Build(InboundRequest request, TokenUsage? usage, string? completionText = null, string? policy = null) =>
        new CompletionRecordBuilder(new TokenCounter(), UserTextPolicy.Parse(policy)).Completion(
            Origin,
            new ChatCall("req-1", request, Routes.Alias("""{ "provider": "openai", "model": "text-embedding-3-small", "kind": "embeddings" }""")),
            new CompletionOutcome(200, usage, null, null, completionText),
            TimeSpan.FromMilliseconds(5));

    private static EmbeddingsRequest Embeddings(string input) =>
        EmbeddingsRequestParser.Parse(Encoding.UTF8.GetBytes($$"""{"model":"embed","input":{{input}}}"""));

    [Fact]
    public void Embeddings_log_the_endpoint_the_count_and_the_total_length_without_the_text_by_default()
    {
        var record = Build(Embeddings("""["hello world", "abc"]"""), new TokenUsage(4, 0));

        Assert.Equal(("embeddings", 2, 14, null), (record.Endpoint, record.InputCount, record.LatestUserMessageLength, record.LatestUserMessage));
        Assert.Null(record.ContextTailPreview);
    }

    [Fact]
    public void Embedding_inputs_are_logged_as_a_chosen_LOG_USER_TEXT_says() =>
        Assert.Equal("hello world\nabc", Build(Embeddings("""["hello world", "abc"]"""), new TokenUsage(4, 0), policy: "full").LatestUserMessage);

    [Fact]
    public void Missing_usage_is_counted_with_the_tokenizer_and_token_ids_as_given()
    {
        var texts = Build(Embeddings("""["hello world", "hello world"]"""), usage: null);
        var tokens = Build(Embeddings("""[[1, 2, 3], [4]]"""), usage: null);

        Assert.Equal((4, 0, true), (texts.TokensIn, texts.TokensOut, texts.TokensEstimated));
        Assert.Equal((4, true), (tokens.TokensIn, tokens.TokensEstimated));
    }

    [Fact]
    public void A_completion_logs_its_prompt_as_the_latest_user_message_and_counts_its_text()
    {
        var request = CompletionsRequestParser.Parse(Encoding.UTF8.GetBytes("""{"model":"fim","prompt":"hello world","suffix":"!"}"""));

        var record = Build(request, usage: null, completionText: "hello world");

        Assert.Equal(("completions", null, "hello world", 11), (record.Endpoint, record.InputCount, record.LatestUserMessage, record.LatestUserMessageLength));
        Assert.Equal((2, 2), (record.TokensIn, record.TokensOut));
    }

    [Fact]
    public void A_chat_call_is_logged_as_the_chat_endpoint() =>
        Assert.Equal(("chat", (int?)null), (Build(Requests.UserSays("hi"), new TokenUsage(1, 1)).Endpoint, Build(Requests.UserSays("hi"), new TokenUsage(1, 1)).InputCount));
}
