using System.Collections.Concurrent;
using System.Text.Json;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace SfAi.Hosting.Lambda.Tests.Support;

/// <summary>Collects log lines: events rendered by the production compact JSON formatter, and the lines the gateway renders itself.</summary>
public sealed class EventCollector : ILogEventSink, SfAi.Api.Logging.ILogLineSink
{
    private static readonly CompactJsonFormatter Formatter = new();

    public ConcurrentQueue<string> Lines { get; } = new();

    public void Emit(LogEvent logEvent)
    {
        using var writer = new StringWriter();
        Formatter.Format(logEvent, writer);
        Lines.Enqueue(writer.ToString());
    }

    public void WriteLine(ReadOnlySpan<byte> utf8Line) => Lines.Enqueue(System.Text.Encoding.UTF8.GetString(utf8Line));

    public async Task<JsonElement> WaitForAsync(string eventName)
    {
        for (var i = 0; i < 200; i++)
        {
            foreach (var line in Lines)
            {
                var element = JsonDocument.Parse(line).RootElement;
                if (element.TryGetProperty("event", out var name) && name.GetString() == eventName)
                {
                    return element;
                }
            }
            await Task.Delay(25, TestContext.Current.CancellationToken);
        }
        throw new TimeoutException($"No {eventName} event was logged.");
    }
}
