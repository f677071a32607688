using System.Text;
using SfAi.Core.Errors;
using SfAi.Core.ModelMap;
using SfAi.Core.Providers;
using SfAi.Core.Streaming;
using SfAi.Core.Tests.Support;
using SfAi.Core.Usage;

namespace SfAi.Core.Tests.Providers;

/// <summary>The one place that decides how a relayed stream ended, whatever the provider's translator.</summary>
public sealed class StreamRelayTests
{
    private static readonly ProviderDefinition Provider = new("p", ProviderType.OpenAI, null, null, TimeSpan.FromSeconds(60));

    [Fact]
    public async Task Relays_each_event_with_its_name_and_stops_reading_at_the_end()
    {
        var translator = new ScriptedTranslator(data => data == "end"
            ? [new SseEvent("message_stop", Utf8("{}"))]
            : [new SseEvent("content", Utf8(data))]);
        var sink = new RecordingSink();

        var outcome = await RelayAsync("data: a\n\ndata: b\n\ndata: end\n\ndata: after the end\n\n", translator, sink);

        Assert.Equal(["a", "b", "{}"], sink.Events);
        Assert.Equal(["content", "content", "message_stop"], sink.EventNames);
        Assert.Null(outcome.StreamError);
        Assert.Equal("stop", outcome.FinishReason);
        Assert.NotNull(outcome.TimeToFirstEvent);
    }

    [Fact]
    public async Task A_stream_that_ends_before_its_end_event_is_flagged_to_the_client_and_reported()
    {
        var sink = new RecordingSink();

        var outcome = await RelayAsync("data: a\n\n", new ScriptedTranslator(data => [SseEvent.Unnamed(Utf8(data))]), sink);

        Assert.Equal("upstream_unavailable", outcome.StreamError?.Code);
        Assert.Contains("the stream ended before END", outcome.StreamError!.Message, StringComparison.Ordinal);
        Assert.Null(outcome.FinishReason);
        Assert.Contains("\"type\":\"upstream_error\"", sink.Events[^1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(typeof(FormatException))]
    [InlineData(typeof(OverflowException))]
    [InlineData(typeof(ArgumentException))]
    [InlineData(typeof(NullReferenceException))]
    public async Task A_translator_that_cannot_read_an_event_ends_the_stream_as_the_upstreams_fault(Type thrown)
    {
        var sink = new RecordingSink();
        var translator = new ScriptedTranslator(data => data == "bad"
            ? throw (Exception)Activator.CreateInstance(thrown, "the index is not a whole number")!
            : [SseEvent.Unnamed(Utf8(data))]);

        var outcome = await RelayAsync("data: a\n\ndata: bad\n\ndata: c\n\n", translator, sink);

        Assert.Equal("upstream_unavailable", outcome.StreamError?.Code);
        Assert.Contains("the stream sent an event that is not a test event: the index is not a whole number", outcome.StreamError!.Message, StringComparison.Ordinal);
        Assert.Equal(2, sink.Events.Count);
        Assert.Contains("\"type\":\"upstream_error\"", sink.Events[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_event_over_the_cap_breaks_the_stream_off_with_a_clear_error()
    {
        var sink = new RecordingSink();

        var outcome = await RelayAsync("data: a\n\ndata: " + new string('x', 2048) + "\n\n",
            new ScriptedTranslator(data => [SseEvent.Unnamed(Utf8(data))]), sink, maxEventBytes: 1024);

        Assert.Equal(["a", sink.Events[^1]], sink.Events);
        Assert.Contains("larger than 1024 bytes", outcome.StreamError?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_that_left_is_not_written_to_again_nor_blamed_on_the_upstream()
    {
        var sink = new LeavingSink();

        await Assert.ThrowsAsync<ClientClosedException>(() =>
            RelayAsync("data: a\n\ndata: b\n\n", new ScriptedTranslator(data => [SseEvent.Unnamed(Utf8(data))]), sink));

        Assert.Equal(2, sink.Writes);
    }

    [Fact]
    public async Task An_error_the_stream_reports_itself_is_the_outcome_without_a_second_error_event()
    {
        var sink = new RecordingSink();
        var translator = new ScriptedTranslator(data => [SseEvent.Unnamed(Utf8(data))]) { ErrorOn = "oops" };

        var outcome = await RelayAsync("data: a\n\ndata: oops\n\n", translator, sink);

        Assert.Equal("reported by the stream", outcome.StreamError?.Message);
        Assert.Equal(["a", "oops"], sink.Events);
        Assert.Null(outcome.FinishReason);
    }

    private static async Task<CompletionOutcome> RelayAsync(
        string upstream, IStreamTranslator translator, IChatResponseSink sink, int maxEventBytes = SseEventReader.DefaultMaxEventBytes)
    {
        using var response = new HttpResponseMessage { Content = new ByteArrayContent(Utf8(upstream).ToArray()) };
        using var exchange = new UpstreamExchange(Provider, null, TimeProvider.System, TestContext.Current.CancellationToken);
        return await StreamRelay.RelayAsync(response, exchange, translator, sink, maxEventBytes, TestContext.Current.CancellationToken);
    }

    private static ReadOnlyMemory<byte> Utf8(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>Answers each upstream event with what the script says; <c>end</c> finishes the stream.</summary>
    private sealed class ScriptedTranslator(Func<string, SseEvent[]> script) : IStreamTranslator
    {
        public string? ErrorOn { get; init; }

        public string UpstreamEventName => "a test event";

        public string EndMarker => "END";

        public bool Finished { get; private set; }

        public GatewayError? Error { get; private set; }

        public TokenUsage? Usage => null;

        public string? FinishReason => Finished ? "stop" : null;

        public string CompletionText => string.Empty;

        public void Translate(ReadOnlyMemory<byte> data, List<SseEvent> output)
        {
            var text = Encoding.UTF8.GetString(data.Span);
            output.AddRange(script(text));
            Finished = text == "end";
            if (text == ErrorOn)
            {
                Error = GatewayError.UpstreamUnavailable("p", "x") with { Message = "reported by the stream" };
            }
        }
    }

    /// <summary>A client that hangs up after its first event: the second write finds it gone.</summary>
    private sealed class LeavingSink : IChatResponseSink
    {
        public int Writes { get; private set; }

        public bool HasStarted => true;

        public ValueTask WriteJsonAsync(int status, ReadOnlyMemory<byte> json, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask StartEventStreamAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask WriteEventAsync(string? name, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
        {
            Writes++;
            return Writes > 1 ? throw new ClientClosedException(new IOException("reset")) : ValueTask.CompletedTask;
        }

        public ValueTask WriteErrorEventAsync(GatewayError error, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("an error event was written to a client that left");
    }
}
