using System.Globalization;
using System.Text;
using Serilog.Core;
using Serilog.Debugging;
using Serilog.Events;
using Serilog.Formatting;

namespace SfAi.Api.Logging;

/// <summary>
/// Takes log lines off the request path: a request only copies its rendered line (or queues its Serilog event) into the
/// block being gathered; one background writer swaps that block for an empty one, formats the events in it and writes
/// it to the output stream as whole lines, so requests neither wait for stdout nor for each other's lines, and a busy
/// gateway makes one write system call per block rather than several per line. The writer lets lines gather for
/// <see cref="GatherTime"/> before each block. Nothing is ever dropped; <see cref="Dispose"/> writes everything still
/// waiting, and a line that comes after it is written at once.
/// </summary>
internal sealed class BackgroundConsoleSink : ILogEventSink, ILogLineSink, IDisposable
{
    public static readonly TimeSpan GatherTime = TimeSpan.FromMilliseconds(2);
    private static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(10);

    private readonly ITextFormatter _formatter;
    private readonly Stream _output;
    private readonly Lock _gathering = new();
    private readonly Lock _writing = new();
    private readonly SemaphoreSlim _waiting = new(0);
    private readonly Task _writer;
    private Block _gathered = new();
    private Block? _spare = new();
    private bool _disposed;

    public BackgroundConsoleSink(ITextFormatter formatter, Stream output)
    {
        _formatter = formatter;
        _output = output;
        _writer = Task.Run(WriteAsync);
    }

    public void Emit(LogEvent logEvent)
    {
        lock (_gathering)
        {
            if (!_disposed)
            {
                WakeWriterWhenFirst();
                _gathered.Add(logEvent);
                return;
            }
        }
        using var alone = new Block();
        alone.Add(logEvent);
        Write(alone);
    }

    public void WriteLine(ReadOnlySpan<byte> utf8Line)
    {
        lock (_gathering)
        {
            if (!_disposed)
            {
                WakeWriterWhenFirst();
                _gathered.Add(utf8Line);
                return;
            }
        }
        using var alone = new Block();
        alone.Add(utf8Line);
        Write(alone);
    }

    private void WakeWriterWhenFirst()
    {
        if (_gathered.IsEmpty)
        {
            _waiting.Release();
        }
    }

    private async Task WriteAsync()
    {
        while (true)
        {
            await _waiting.WaitAsync().ConfigureAwait(false);
            bool last;
            lock (_gathering)
            {
                last = _disposed;
            }
            if (!last)
            {
                await Task.Delay(GatherTime).ConfigureAwait(false);
            }
            Block block;
            lock (_gathering)
            {
                block = _gathered;
                _gathered = _spare ?? new Block();
                _spare = null;
                last = _disposed;
            }
            Write(block);
            block.Clear();
            lock (_gathering)
            {
                _spare = block;
            }
            if (last)
            {
                return;
            }
        }
    }

    private void Write(Block block)
    {
        lock (_writing)
        {
            try
            {
                block.WriteTo(_output, _formatter);
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
        lock (_gathering)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
        }
        _waiting.Release();
        if (!_writer.Wait(DrainLimit))
        {
            SelfLog.WriteLine("Log lines were still being written {0} after shutdown began.", DrainLimit);
        }
    }

    /// <summary>
    /// Whole lines gathered as UTF-8 for one write, with the Serilog events among them kept in their place until the
    /// writer formats them.
    /// </summary>
    private sealed class Block : IDisposable
    {
        /// <summary>A block that grew past this (a burst of long lines) is not kept for the next one.</summary>
        private const int LargestKeptBytes = 1024 * 1024;

        private readonly List<(int Position, LogEvent Event)> _events = [];
        private byte[] _bytes = new byte[16 * 1024];
        private int _length;
        private StringWriter? _text;

        public bool IsEmpty => _length == 0 && _events.Count == 0;

        public void Add(ReadOnlySpan<byte> line)
        {
            if (_length + line.Length > _bytes.Length)
            {
                Array.Resize(ref _bytes, Math.Max(_length + line.Length, _bytes.Length * 2));
            }
            line.CopyTo(_bytes.AsSpan(_length));
            _length += line.Length;
        }

        public void Add(LogEvent logEvent) => _events.Add((_length, logEvent));

        /// <summary>Writes the lines, each event formatted in its place, in as few writes as the events allow.</summary>
        public void WriteTo(Stream output, ITextFormatter formatter)
        {
            var written = 0;
            foreach (var (position, logEvent) in _events)
            {
                output.Write(_bytes, written, position - written);
                written = position;
                output.Write(Format(logEvent, formatter));
            }
            output.Write(_bytes, written, _length - written);
        }

        private ReadOnlySpan<byte> Format(LogEvent logEvent, ITextFormatter formatter)
        {
            _text ??= new StringWriter(new StringBuilder(1024), CultureInfo.InvariantCulture);
            var text = _text.GetStringBuilder().Clear();
            try
            {
                formatter.Format(logEvent, _text);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                SelfLog.WriteLine("Formatting a log event failed: {0}", ex);
            }
            return Encoding.UTF8.GetBytes(text.ToString());
        }

        public void Clear()
        {
            _length = 0;
            _events.Clear();
            if (_bytes.Length > LargestKeptBytes)
            {
                _bytes = new byte[16 * 1024];
            }
        }

        public void Dispose() => _text?.Dispose();
    }
}
