using System.Buffers;
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
/// dropped); <see cref="Dispose"/> writes everything still waiting. A line the gateway rendered itself waits in an
/// array from the shared pool, given back once the line is in a block.
/// </summary>
internal sealed class BackgroundConsoleSink : ILogEventSink, ILogLineSink, IDisposable
{
    public static readonly TimeSpan GatherTime = TimeSpan.FromMilliseconds(2);
    private const int MaxBlockBytes = 256 * 1024;
    private static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(10);

    private readonly Channel<Queued> _queue = Channel.CreateUnbounded<Queued>(
        new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = false });
    private readonly ITextFormatter _formatter;
    private readonly Stream _output;
    private readonly Lock _writing = new();
    private readonly Task _writer;

    public BackgroundConsoleSink(ITextFormatter formatter, Stream output)
    {
        _formatter = formatter;
        _output = output;
        _writer = Task.Run(WriteAsync);
    }

    public void Emit(LogEvent logEvent) => Enqueue(new Queued(logEvent, null, 0));

    public void WriteLine(ReadOnlySpan<byte> utf8Line)
    {
        var line = ArrayPool<byte>.Shared.Rent(utf8Line.Length);
        utf8Line.CopyTo(line);
        Enqueue(new Queued(null, line, utf8Line.Length));
    }

    private void Enqueue(Queued item)
    {
        if (!_queue.Writer.TryWrite(item))
        {
            using var block = new Block();
            block.Add(item, _formatter);
            Write(block);
        }
    }

    private async Task WriteAsync()
    {
        using var block = new Block();
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            if (_queue.Reader.Completion.IsCompleted is false)
            {
                await Task.Delay(GatherTime).ConfigureAwait(false);
            }
            while (block.Length < MaxBlockBytes && _queue.Reader.TryRead(out var item))
            {
                block.Add(item, _formatter);
            }
            Write(block);
            block.Clear();
        }
    }

    private void Write(Block block)
    {
        if (block.Length == 0)
        {
            return;
        }
        lock (_writing)
        {
            try
            {
                _output.Write(block.Bytes);
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

    /// <summary>A Serilog event still to format, or a line the gateway rendered itself (its first <paramref name="Length"/> bytes, in a pooled array).</summary>
    private readonly record struct Queued(LogEvent? Event, byte[]? Line, int Length);

    /// <summary>Whole lines gathered as UTF-8 for one write.</summary>
    private sealed class Block : IDisposable
    {
        private readonly StringWriter _text = new(new StringBuilder(1024), CultureInfo.InvariantCulture);
        private byte[] _bytes = new byte[16 * 1024];

        public int Length { get; private set; }

        public ReadOnlySpan<byte> Bytes => _bytes.AsSpan(0, Length);

        public void Add(Queued item, ITextFormatter formatter)
        {
            if (item.Line is { } line)
            {
                Append(line.AsSpan(0, item.Length));
                ArrayPool<byte>.Shared.Return(line);
                return;
            }
            try
            {
                formatter.Format(item.Event!, _text);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                SelfLog.WriteLine("Formatting a log event failed: {0}", ex);
            }
            foreach (var chunk in _text.GetStringBuilder().GetChunks())
            {
                Reserve(Encoding.UTF8.GetMaxByteCount(chunk.Length));
                Length += Encoding.UTF8.GetBytes(chunk.Span, _bytes.AsSpan(Length));
            }
            _text.GetStringBuilder().Clear();
        }

        public void Clear() => Length = 0;

        public void Dispose() => _text.Dispose();

        private void Append(ReadOnlySpan<byte> line)
        {
            Reserve(line.Length);
            line.CopyTo(_bytes.AsSpan(Length));
            Length += line.Length;
        }

        private void Reserve(int more)
        {
            if (Length + more > _bytes.Length)
            {
                Array.Resize(ref _bytes, Math.Max(Length + more, _bytes.Length * 2));
            }
        }
    }
}
