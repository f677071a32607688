using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using SfAi.Core.ModelMap;
using SfAi.Core.Providers;
using SfAi.Core.Providers.Echo;
using SfAi.Core.Tests.Support;
using SfAi.Core.Usage;

namespace SfAi.Core.Tests.Providers.Echo;

public sealed class EchoChatProviderTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly AliasRoute EchoRoute = Maps.Parse(Maps.Map(aliases: """{ "echo": { "provider": "echo", "model": "echo-1" } }""")).Aliases["echo"];
    private readonly RecordingSink _sink = new();

    private Task<CompletionOutcome> CompleteAsync(string userText, bool stream = false, bool includeUsage = false) =>
        new EchoChatProvider(new FakeTimeProvider(Now)).CompleteAsync(
            new ChatCall("req-1", Requests.UserSays(userText, stream, includeUsage), EchoRoute), _sink, TestContext.Current.CancellationToken);

    private List<JsonObject> Chunks() => [.. _sink.Events.Where(e => e != "[DONE]").Select(e => JsonNode.Parse(e)!.AsObject())];

    private static void AssertJson(string expected, JsonNode? actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), $"Expected {expected}{Environment.NewLine}but got {actual?.ToJsonString()}");

    [Fact]
    public async Task Answers_a_completion_in_openai_shape()
    {
        await CompleteAsync("hello world");

        Assert.Equal(200, _sink.JsonStatus);
        Assert.Equal(0, _sink.EventStreamsStarted);
        var completionTokens = TokenCounter.EstimateText("You said: hello world");
        var promptTokens = TokenCounter.EstimatePrompt(Requests.UserSays("hello world").Messages);
        AssertJson($$"""
            {
              "id": "chatcmpl-req-1", "object": "chat.completion", "created": {{Now.ToUnixTimeSeconds()}}, "model": "echo-1",
              "choices": [{ "index": 0, "message": { "role": "assistant", "content": "You said: hello world", "refusal": null }, "logprobs": null, "finish_reason": "stop" }],
              "usage": { "prompt_tokens": {{promptTokens}}, "completion_tokens": {{completionTokens}}, "total_tokens": {{promptTokens + completionTokens}}, "prompt_tokens_details": { "cached_tokens": 0 } }
            }
            """, JsonNode.Parse(_sink.Json!));
    }

    [Fact]
    public async Task Reports_the_estimated_usage_and_reply()
    {
        var outcome = await CompleteAsync("hello world");

        Assert.Equal(new TokenUsage(TokenCounter.EstimatePrompt(Requests.UserSays("hello world").Messages),
            TokenCounter.EstimateText("You said: hello world"), Estimated: true), outcome.Usage);
        Assert.Equal((200, "stop", "You said: hello world"), (outcome.Status, outcome.FinishReason, outcome.CompletionText));
        Assert.Null(outcome.TimeToFirstEvent);
    }

    [Fact]
    public async Task Stream_starts_with_the_assistant_role()
    {
        await CompleteAsync("hello world", stream: true);

        var first = Chunks()[0];
        Assert.Equal("chat.completion.chunk", first["object"]!.GetValue<string>());
        AssertJson("""{ "role": "assistant", "content": "" }""", first["choices"]![0]!["delta"]);
    }

    [Fact]
    public async Task Stream_words_join_back_to_the_reply()
    {
        await CompleteAsync("the quick  brown fox", stream: true);

        var words = Chunks().Skip(1).TakeWhile(c => c["choices"]![0]!["finish_reason"] is null)
            .Select(c => c["choices"]![0]!["delta"]!["content"]!.GetValue<string>()).ToList();
        Assert.Equal(["You ", "said: ", "the ", "quick ", " ", "brown ", "fox"], words);
        Assert.Equal("You said: the quick  brown fox", string.Concat(words));
    }

    [Fact]
    public async Task Stream_ends_with_a_finish_chunk_and_done()
    {
        await CompleteAsync("hello world", stream: true);

        var finish = Chunks()[^1];
        AssertJson("""[{ "index": 0, "delta": {}, "logprobs": null, "finish_reason": "stop" }]""", finish["choices"]);
        Assert.Equal("[DONE]", _sink.Events[^1]);
        Assert.Null(_sink.Json);
    }

    [Fact]
    public async Task Stream_sends_a_usage_chunk_before_done_when_the_client_asks()
    {
        var outcome = await CompleteAsync("hello world", stream: true, includeUsage: true);

        var usage = JsonNode.Parse(_sink.Events[^2])!;
        AssertJson("[]", usage["choices"]);
        Assert.Equal(outcome.Usage!.PromptTokens, usage["usage"]!["prompt_tokens"]!.GetValue<int>());
        Assert.Equal(outcome.Usage.CompletionTokens, usage["usage"]!["completion_tokens"]!.GetValue<int>());
        Assert.Equal("[DONE]", _sink.Events[^1]);
    }

    [Fact]
    public async Task Stream_sends_no_usage_chunk_unless_asked()
    {
        await CompleteAsync("hello world", stream: true);

        Assert.DoesNotContain(Chunks(), c => c.ContainsKey("usage"));
    }

    [Fact]
    public async Task Stream_chunks_share_one_id_and_model()
    {
        await CompleteAsync("hello world", stream: true, includeUsage: true);

        Assert.All(Chunks(), c => Assert.Equal(("chatcmpl-req-1", "echo-1"), (c["id"]!.GetValue<string>(), c["model"]!.GetValue<string>())));
    }

    [Fact]
    public async Task Stream_reports_the_time_to_first_event()
    {
        var outcome = await CompleteAsync("hello world", stream: true);

        Assert.NotNull(outcome.TimeToFirstEvent);
        Assert.Equal("You said: hello world", outcome.CompletionText);
    }

    [Fact]
    public void Says_so_when_there_is_no_user_message() =>
        Assert.Equal(
            "You said: (no user message)",
            EchoChatProvider.ReplyTo(Requests.Parse("""{ "model": "echo", "messages": [{ "role": "system", "content": "be brief" }] }""")));

    [Theory]
    [InlineData("", new string[0])]
    [InlineData("word", new[] { "word" })]
    [InlineData("You said: hi", new[] { "You ", "said: ", "hi" })]
    [InlineData("a  b ", new[] { "a ", " ", "b " })]
    [InlineData(" lead", new[] { " ", "lead" })]
    public void Words_split_after_each_space(string text, string[] expected)
    {
        var words = EchoChatProvider.Words(text).ToList();

        Assert.Equal(expected, words);
        Assert.Equal(text, string.Concat(words));
    }
}
