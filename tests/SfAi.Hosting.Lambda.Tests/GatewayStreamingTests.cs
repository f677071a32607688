using System.Text;
using System.Text.Json;
using SfAi.Hosting.Lambda.Tests.Support;

namespace SfAi.Hosting.Lambda.Tests;

/// <summary>
/// The real gateway behind a Function URL in <c>RESPONSE_STREAM</c> mode: a streamed chat completion reaches Lambda
/// event by event. The gateway's response writer is paced (a pause after each flush), so that buffering would show.
/// </summary>
public sealed class GatewayStreamingTests
{
    private const string StreamedHello = """{"model":"echo","stream":true,"messages":[{"role":"user","content":"hello there"}]}""";
    private static readonly TimeSpan Gap = TimeSpan.FromMilliseconds(60);

    private static async Task<Posted> StreamAsync(int? failAtFlush = null)
    {
        await using var runtime = await RuntimeApiEmulator.StartAsync();
        await using var gateway = await LambdaGateway.StartAsync(runtime, streaming: true,
            configure: builder => PacedResponses.AddTo(builder.Services, Gap, failAtFlush));
        return await runtime.InvokeAsync(LambdaEvents.FunctionUrl("/v1/chat/completions", StreamedHello));
    }

    private static List<JsonElement> Events(string body) =>
        [.. body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Where(e => e != "data: [DONE]")
            .Select(e => JsonDocument.Parse(e["data: ".Length..]).RootElement)];

    [Fact]
    public async Task Streamed_chat_completion_starts_with_the_prelude_and_eight_NUL_bytes()
    {
        var posted = await StreamAsync();

        var streamed = StreamedResponse.Parse(posted.Body);
        Assert.Equal(200, streamed.Prelude.GetProperty("statusCode").GetInt32());
        Assert.StartsWith("text/event-stream", streamed.Prelude.GetProperty("headers").GetProperty("Content-Type").GetString(), StringComparison.Ordinal);
        Assert.True(streamed.Prelude.GetProperty("headers").TryGetProperty("x-request-id", out _));
        Assert.StartsWith("data: {", streamed.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Streamed_chat_completion_is_whole_valid_SSE()
    {
        var posted = await StreamAsync();

        var body = StreamedResponse.Parse(posted.Body).Text;
        Assert.EndsWith("data: [DONE]\n\n", body, StringComparison.Ordinal);
        var content = string.Concat(Events(body)
            .Select(e => e.GetProperty("choices")[0].GetProperty("delta"))
            .Select(delta => delta.TryGetProperty("content", out var text) ? text.GetString() : null));
        Assert.Equal("You said: hello there", content);
        Assert.Empty(posted.Trailers);
    }

    [Fact]
    public async Task Streamed_chat_completion_reaches_Lambda_event_by_event()
    {
        var posted = await StreamAsync();

        var eventReads = posted.Reads.Where(r => Encoding.UTF8.GetString(r.Data).Contains("data: ", StringComparison.Ordinal)).ToList();
        Assert.True(eventReads.Count >= 4, $"only {eventReads.Count} reads carried events: they were not sent one by one");
        Assert.True(eventReads[^1].At - eventReads[0].At >= Gap * 3, "the events arrived together: the stream was buffered");
    }

    [Fact]
    public async Task Failure_in_the_middle_of_a_stream_is_reported_in_the_error_trailers()
    {
        var posted = await StreamAsync(failAtFlush: 3);

        Assert.Equal(2, Events(StreamedResponse.Parse(posted.Body).Text).Count);
        Assert.Equal("ResponseAborted", posted.Trailers["Lambda-Runtime-Function-Error-Type"]);
        var error = JsonDocument.Parse(Convert.FromBase64String(posted.Trailers["Lambda-Runtime-Function-Error-Body"])).RootElement;
        Assert.Equal("ResponseAborted", error.GetProperty("errorType").GetString());
    }
}
