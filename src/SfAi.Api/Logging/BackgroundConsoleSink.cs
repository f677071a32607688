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
/// waiting and writes it to the output stream as one block of whole lines, so requests neither wait for stdout nor for
/// each other's lines, and a busy gateway makes one write system call per block rather than several per line. The
/// writer lets events gather for <see cref="GatherTime"/> before each block. The queue has no limit (no event is ever
/// dropped); <see cref="Dispose"/> writes everything still waiting.
/// </summary>
internal sealed class BackgroundConsoleSink : ILogEventSink, IDisposable
{
    public static readonly TimeSpan GatherTime = TimeSpan.FromMilliseconds(2);
    private const int MaxBlockChars = 256 * 1024;
    private static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(10);

    private readonly Channel<LogEvent> _queue = Channel.CreateUnbounded<LogEvent>(
        new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = false });
    private readonly ITextFormatter _formatter;
    private readonly Stream _output;
    private readonly Lock _writing = new();
    private readonly Task _writer;
    private byte[] _bytes = new byte[16 * 1024];

    public BackgroundConsoleSink(ITextFormatter formatter, Stream output)
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
        var block = new StringWriter(new StringBuilder(16 * 1024), CultureInfo.InvariantCulture);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            if (_queue.Reader.Completion.IsCompleted is false)
            {
                await Task.Delay(GatherTime).ConfigureAwait(false);
            }
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
        lock (_writing)
        {
            var length = 0;
            foreach (var chunk in block.GetChunks())
            {
                var needed = length + Encoding.UTF8.GetMaxByteCount(chunk.Length);
                if (needed > _bytes.Length)
                {
                    Array.Resize(ref _bytes, Math.Max(needed, _bytes.Length * 2));
                }
                length += Encoding.UTF8.GetBytes(chunk.Span, _bytes.AsSpan(length));
            }
            try
            {
                _output.Write(_bytes, 0, length);
                _output.Flush();
            }
            catch (IOException ex)
            {
                SelfLog.WriteLine("Writing log lines failed: {0}", ex);
            }
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
