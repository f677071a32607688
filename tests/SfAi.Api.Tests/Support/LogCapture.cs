using System.Text.Json;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace SfAi.Api.Tests.Support;

/// <summary>Captures the gateway's log lines: Serilog's events, each rendered by the production compact JSON formatter, and the lines the gateway renders itself.</summary>
public sealed class LogCapture : ILogEventSink, SfAi.Api.Logging.ILogLineSink
{
    private static readonly CompactJsonFormatter Formatter = new();
    private readonly List<string> _lines = [];
    private readonly Lock _gate = new();
    private event Action? Changed;

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_gate)
            {
                return [.. _lines];
            }
        }
    }

    public void Emit(LogEvent logEvent)
    {
        using var writer = new StringWriter();
        Formatter.Format(logEvent, writer);
        lock (_gate)
        {
            _lines.Add(writer.ToString().TrimEnd());
        }
        Changed?.Invoke();
    }

    /// <summary>A line the gateway rendered itself (the <c>chat_completion</c> of JSON logs), kept as written.</summary>
    public void WriteLine(ReadOnlySpan<byte> utf8Line)
    {
        lock (_gate)
        {
            _lines.Add(System.Text.Encoding.UTF8.GetString(utf8Line).TrimEnd());
        }
        Changed?.Invoke();
    }

    /// <summary>The gateway's own events named <paramref name="eventName"/>, parsed from their JSON lines.</summary>
    public IReadOnlyList<JsonElement> Events(string eventName) =>
        [.. Lines.Select(line => JsonDocument.Parse(line).RootElement)
            .Where(e => e.TryGetProperty("event", out var name) && name.GetString() == eventName)];

    /// <summary>Waits until <paramref name="count"/> events of that name were written (logs follow the response).</summary>
    public async Task<IReadOnlyList<JsonElement>> WaitForAsync(string eventName, int count = 1)
    {
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check()
        {
            if (Events(eventName).Count >= count)
            {
                arrived.TrySetResult();
            }
        }
        Changed += Check;
        try
        {
            Check();
            await arrived.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
            return Events(eventName);
        }
        finally
        {
            Changed -= Check;
        }
    }
}
