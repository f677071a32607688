using System.Text;
using SfAi.Core.Providers.OpenAI;
using SfAi.Core.Streaming;
using SfAi.Core.Tests.Support;
using SfAi.Core.Usage;

namespace SfAi.Core.Tests.Providers.OpenAI;

public sealed class OpenAIResponseInspectorTests
{
    private sealed record Inspected(OpenAIResponseInspector Inspector, List<int> UsageOnlyChunks, int Chunks);

    private static async Task<Inspected> InspectStreamAsync(string fixture)
    {
        var inspector = new OpenAIResponseInspector();
        var usageOnly = new List<int>();
        var index = 0;
        using var stream = new MemoryStream(Fixtures.Bytes(Path.Combine("openai", fixture)));
        await foreach (var data in SseEventReader.ReadDataAsync(stream, cancellationToken: TestContext.Current.CancellationToken))
        {
            if (data == "[DONE]")
            {
                continue;
            }
            if (inspector.InspectChunk(data))
            {
                usageOnly.Add(index);
            }
            index++;
        }
        return new Inspected(inspector, usageOnly, index);
    }

    [Fact]
    public async Task Reads_usage_with_cached_tokens_from_the_usage_chunk()
    {
        var result = await InspectStreamAsync("chat-stream-include-usage.txt");

        Assert.Equal(new TokenUsage(8, 9, CachedPromptTokens: 5), result.Inspector.Usage);
    }

    [Fact]
    public async Task Detects_only_the_final_usage_chunk_as_usage_only()
    {
        var result = await InspectStreamAsync("chat-stream-include-usage.txt");

        Assert.Equal([result.Chunks - 1], result.UsageOnlyChunks);
    }

    [Fact]
    public async Task Accumulates_the_streamed_text_and_the_finish_reason()
    {
        var inspector = (await InspectStreamAsync("chat-stream-include-usage.txt")).Inspector;

        Assert.Equal("Hello! How can I assist you today?", inspector.CompletionText);
        Assert.Equal("stop", inspector.FinishReason);
        Assert.Null(inspector.UpstreamError);
    }

    [Fact]
    public async Task Accumulates_tool_call_name_and_arguments()
    {
        var result = await InspectStreamAsync("chat-stream-tool-call-include-usage.txt");

        Assert.Equal("GetPersonAge{\"personName\":\"Alice\"}", result.Inspector.CompletionText);
        Assert.Equal("tool_calls", result.Inspector.FinishReason);
        Assert.Equal(new TokenUsage(61, 16), result.Inspector.Usage);
        Assert.Single(result.UsageOnlyChunks);
    }

    [Fact]
    public async Task Reads_a_stream_cut_at_the_length_limit()
    {
        var result = await InspectStreamAsync("chat-stream-finish-length.txt");

        Assert.Equal("length", result.Inspector.FinishReason);
        Assert.Equal("{\"", result.Inspector.CompletionText);
        Assert.Equal(new TokenUsage(79, 1), result.Inspector.Usage);
    }

    [Fact]
    public void Reads_a_whole_completion()
    {
        var inspector = new OpenAIResponseInspector();

        inspector.InspectCompletion(Encoding.UTF8.GetBytes("""
            {"id":"chatcmpl-1","object":"chat.completion","created":1727346170,"model":"gpt-4o-mini-2024-07-18",
             "choices":[{"index":0,"message":{"role":"assistant","content":"こんにちは","refusal":null},"logprobs":null,"finish_reason":"stop"}],
             "usage":{"prompt_tokens":12,"completion_tokens":3,"total_tokens":15,"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0}}}
            """));

        Assert.Equal(new TokenUsage(12, 3), inspector.Usage);
        Assert.Equal("stop", inspector.FinishReason);
        Assert.Equal(string.Empty, inspector.CompletionText); // the usage is known: the text is not read
    }

    [Fact]
    public void Reads_the_text_of_a_whole_completion_without_usage()
    {
        var inspector = new OpenAIResponseInspector();

        inspector.InspectCompletion(Encoding.UTF8.GetBytes("""
            {"id":"chatcmpl-1","object":"chat.completion","model":"local",
             "choices":[{"index":0,"message":{"role":"assistant","content":"こんにちは"},"finish_reason":"stop"}]}
            """));

        Assert.Null(inspector.Usage);
        Assert.Equal("stop", inspector.FinishReason);
        Assert.Equal("こんにちは", inspector.CompletionText);
    }

    [Fact]
    public void Reads_tool_calls_of_a_whole_completion()
    {
        var inspector = new OpenAIResponseInspector();

        inspector.InspectCompletion(Encoding.UTF8.GetBytes("""
            {"choices":[{"index":0,"message":{"role":"assistant","content":null,
              "tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Tokyo\"}"}}]},
              "finish_reason":"tool_calls"}]}
            """));

        Assert.Equal("get_weather{\"city\":\"Tokyo\"}", inspector.CompletionText);
        Assert.Equal("tool_calls", inspector.FinishReason);
        Assert.Null(inspector.Usage);
    }

    [Fact]
    public void Reports_an_error_event_in_a_stream()
    {
        var inspector = new OpenAIResponseInspector();

        var usageOnly = inspector.InspectChunk("""{"error":{"message":"The server had an error while processing your request.","type":"server_error"}}""");

        Assert.False(usageOnly);
        Assert.Equal("The server had an error while processing your request.", inspector.UpstreamError);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("""{"choices":[],"usage":null}""")]
    public void Chunk_without_usage_object_is_not_usage_only(string data) =>
        Assert.False(new OpenAIResponseInspector().InspectChunk(data));

    [Fact]
    public void Ignores_a_completion_that_is_not_json()
    {
        var inspector = new OpenAIResponseInspector();

        inspector.InspectCompletion(Encoding.UTF8.GetBytes("<html>bad gateway</html>"));

        Assert.Null(inspector.Usage);
        Assert.Null(inspector.FinishReason);
        Assert.Equal(string.Empty, inspector.CompletionText);
    }
}
