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
        var output = new MemoryStream();
        using (var sink = new BackgroundConsoleSink(new CompactJsonFormatter(), output))
        {
            for (var i = 0; i < 5000; i++)
            {
                sink.Emit(Event(i));
            }
        }

        var lines = Text(output).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Enumerable.Range(0, 5000).Select(i => $"\"n\":{i}}}"), lines.Select(l => l[l.IndexOf("\"n\":", StringComparison.Ordinal)..]));
    }

    [Fact]
    public void Writes_rendered_lines_in_order_with_the_events()
    {
        var output = new MemoryStream();
        using (var sink = new BackgroundConsoleSink(new CompactJsonFormatter(), output))
        {
            for (var i = 0; i < 3000; i++)
            {
                if (i % 2 == 0)
                {
                    sink.Emit(Event(i));
                }
                else
                {
                    sink.WriteLine(System.Text.Encoding.UTF8.GetBytes($"{{\"rendered\":true,\"n\":{i}}}\n"));
                }
            }
        }

        var lines = Text(output).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Enumerable.Range(0, 3000).Select(i => $"\"n\":{i}}}"), lines.Select(l => l[l.IndexOf("\"n\":", StringComparison.Ordinal)..]));
        Assert.Equal(1500, lines.Count(l => l.StartsWith("{\"rendered\":true", StringComparison.Ordinal)));
    }

    [Fact]
    public void Writes_a_burst_larger_than_a_kept_block_whole_and_in_order()
    {
        var output = new MemoryStream();
        var padding = new string('x', 1000);
        using (var sink = new BackgroundConsoleSink(new CompactJsonFormatter(), output))
        {
            for (var i = 0; i < 3000; i++)
            {
                sink.WriteLine(System.Text.Encoding.UTF8.GetBytes($"{{\"pad\":\"{padding}\",\"n\":{i}}}\n"));
            }
        }

        var lines = Text(output).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Enumerable.Range(0, 3000).Select(i => $"{{\"pad\":\"{padding}\",\"n\":{i}}}"), lines);
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

        Assert.Equal(200, Text(output).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void Writes_an_event_that_arrives_after_disposal_at_once()
    {
        var output = new MemoryStream();
        var sink = new BackgroundConsoleSink(new CompactJsonFormatter(), output);
        sink.Dispose();

        sink.Emit(Event(7));

        Assert.Contains("\"n\":7", Text(output), StringComparison.Ordinal);
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

    private static string Text(MemoryStream output) => System.Text.Encoding.UTF8.GetString(output.ToArray());

    private sealed class SlowWriter : MemoryStream
    {
        public override void Write(byte[] buffer, int offset, int count)
        {
            Thread.Sleep(5);
            base.Write(buffer, offset, count);
        }
    }

    /// <summary>Blocks the background writer on its first write until released.</summary>
    private sealed class BlockedWriter : MemoryStream
    {
        public ManualResetEventSlim Entered { get; } = new();
        public ManualResetEventSlim Release { get; } = new();

        public override void Write(byte[] buffer, int offset, int count)
        {
            Entered.Set();
            Release.Wait();
            base.Write(buffer, offset, count);
        }
    }
}
