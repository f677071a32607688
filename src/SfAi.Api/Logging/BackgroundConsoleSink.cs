using System.Globalization;
using System.Text;
using System.Threading.Channels;
using Serilog.Core;
using Serilog.Debugging;
using Serilog.Events;
using Serilog.Formatting;

namespace SfAi.Api.Logging;

/// <summary>
/// Takes log lines off the request path: a request only enqueues its event; one background writer formats what is
/// waiting and writes it as one block of whole lines, so requests neither wait for stdout nor for each other's lines.
/// The queue has no limit (no event is ever dropped); <see cref="Dispose"/> writes everything still waiting.
/// </summary>
internal sealed class BackgroundConsoleSink : ILogEventSink, IDisposable
{
    private const int MaxBlockChars = 64 * 1024;
    private static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(10);

    private readonly Channel<LogEvent> _queue = Channel.CreateUnbounded<LogEvent>(
        new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = false });
    private readonly ITextFormatter _formatter;
    private readonly TextWriter _output;
    private readonly Task _writer;

    public BackgroundConsoleSink(ITextFormatter formatter, TextWriter output)
    {
        _formatter = formatter;
        _output = output;
        _writer = Task.Run(WriteAsync);
    }

    public void Emit(LogEvent logEvent)
    {
        if (!_queue.Writer.TryWrite(logEvent))
        {
            var line = new StringWriter(CultureInfo.InvariantCulture);
            Format(logEvent, line);
            WriteBlock(line.GetStringBuilder());
        }
    }

    private async Task WriteAsync()
    {
        var block = new StringWriter(new StringBuilder(4096), CultureInfo.InvariantCulture);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (block.GetStringBuilder().Length < MaxBlockChars && _queue.Reader.TryRead(out var logEvent))
            {
                Format(logEvent, block);
            }
            WriteBlock(block.GetStringBuilder());
            block.GetStringBuilder().Clear();
        }
    }

    private void Format(LogEvent logEvent, TextWriter destination)
    {
        try
        {
            _formatter.Format(logEvent, destination);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            SelfLog.WriteLine("Formatting a log event failed: {0}", ex);
        }
    }

    private void WriteBlock(StringBuilder block)
    {
        if (block.Length == 0)
        {
            return;
        }
        try
        {
            _output.Write(block.ToString());
            _output.Flush();
        }
        catch (IOException ex)
        {
            SelfLog.WriteLine("Writing log lines failed: {0}", ex);
        }
    }

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        if (!_writer.Wait(DrainLimit))
        {
            SelfLog.WriteLine("Log lines were still being written {0} after shutdown began.", DrainLimit);
        }
    }
}
