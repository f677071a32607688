using Serilog.Events;
using Serilog.Formatting.Compact;
using Serilog.Parsing;
using SfAi.Api.Logging;

namespace SfAi.Api.Tests.Logging;

public sealed class BackgroundConsoleSinkTests
{
    private static readonly MessageTemplate Template = new MessageTemplateParser().Parse("chat_completion");

    [Fact]
    public void Writes_every_event_in_order_as_whole_lines()
    {
        var output = new StringWriter();
        using (var sink = new BackgroundConsoleSink(new CompactJsonFormatter(), output))
        {
            for (var i = 0; i < 5000; i++)
            {
                sink.Emit(Event(i));
            }
        }

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Enumerable.Range(0, 5000).Select(i => $"\"n\":{i}}}"), lines.Select(l => l[l.IndexOf("\"n\":", StringComparison.Ordinal)..]));
    }

    [Fact]
    public void Writes_what_is_still_queued_when_disposed()
    {
        var output = new SlowWriter();
        var sink = new BackgroundConsoleSink(new CompactJsonFormatter(), output);
        for (var i = 0; i < 200; i++)
        {
            sink.Emit(Event(i));
        }

        sink.Dispose();

        Assert.Equal(200, output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void Writes_an_event_that_arrives_after_disposal_at_once()
    {
        var output = new StringWriter();
        var sink = new BackgroundConsoleSink(new CompactJsonFormatter(), output);
        sink.Dispose();

        sink.Emit(Event(7));

        Assert.Contains("\"n\":7", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Emitting_does_not_wait_for_the_output()
    {
        var output = new BlockedWriter();
        using var sink = new BackgroundConsoleSink(new CompactJsonFormatter(), output);
        sink.Emit(Event(0));
        Assert.True(output.Entered.Wait(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));

        var emitting = Task.Run(() =>
        {
            for (var i = 1; i < 100; i++)
            {
                sink.Emit(Event(i));
            }
        }, TestContext.Current.CancellationToken);

        await emitting.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        output.Release.Set();
    }

    private static LogEvent Event(int n) =>
        new(DateTimeOffset.UnixEpoch, LogEventLevel.Information, null, Template, [new LogEventProperty("n", new ScalarValue(n))]);

    private sealed class SlowWriter : StringWriter
    {
        public override void Write(string? value)
        {
            Thread.Sleep(5);
            base.Write(value);
        }
    }

    /// <summary>Blocks the background writer on its first write until released.</summary>
    private sealed class BlockedWriter : StringWriter
    {
        public ManualResetEventSlim Entered { get; } = new();
        public ManualResetEventSlim Release { get; } = new();

        public override void Write(string? value)
        {
            Entered.Set();
            Release.Wait();
            base.Write(value);
        }
    }
}
