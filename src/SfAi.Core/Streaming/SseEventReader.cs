using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Text;

namespace SfAi.Core.Streaming;

/// <summary>
/// Reads the <c>data</c> of server-sent events as they arrive (https://html.spec.whatwg.org/multipage/server-sent-events.html):
/// one value per event, its data lines joined by newlines, with its <c>event</c> name when it has one; comments, <c>id</c>
/// and <c>retry</c> lines are skipped. Lines end with LF or CRLF.
/// </summary>
public static class SseEventReader
{
    private const int ReadBufferSize = 4096;

    /// <summary>The largest event read by default (8 MiB): a misbehaving upstream cannot grow memory until its timeout.</summary>
    public const int DefaultMaxEventBytes = 8 * 1024 * 1024;

    /// <summary>
    /// Each event's data as UTF-8, in a buffer reused for the next event: valid until the enumeration moves on, and
    /// read without a string or any allocation per event. An event (its lines, data or not, until the blank line that ends
    /// it) longer than the cap (<see cref="DefaultMaxEventBytes"/> unless given) throws <see cref="SseEventTooLargeException"/>.
    /// </summary>
    public static IAsyncEnumerable<ReadOnlyMemory<byte>> ReadEventsAsync(
        Stream stream, Action? onLine = null, CancellationToken cancellationToken = default) =>
        ReadEventsAsync(stream, onLine, DefaultMaxEventBytes, cancellationToken);

    /// <summary>As above, with a cap other than <see cref="DefaultMaxEventBytes"/>.</summary>
    public static async IAsyncEnumerable<ReadOnlyMemory<byte>> ReadEventsAsync(
        Stream stream, Action? onLine, int maxEventBytes, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var received in ReadNamedEventsAsync(stream, onLine, maxEventBytes, cancellationToken))
        {
            yield return received.Data;
        }
    }

    /// <summary>
    /// Each event's <c>event</c> name (empty when it has none) and data as UTF-8, in buffers reused for the next event,
    /// under the same cap as <see cref="ReadEventsAsync(Stream, Action?, int, CancellationToken)"/>.
    /// </summary>
    public static async IAsyncEnumerable<ReceivedSseEvent> ReadNamedEventsAsync(
        Stream stream, Action? onLine, int maxEventBytes, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxEventBytes);
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: ReadBufferSize, leaveOpen: true));
        var data = new ArrayBufferWriter<byte>(1024);
        var name = new ArrayBufferWriter<byte>(32);
        var hasData = false;
        long eventBytes = 0;
        long searched = 0;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken);
                var buffer = result.Buffer;
                while (NextLine(ref buffer, ref searched, result.IsCompleted, out var line))
                {
                    onLine?.Invoke();
                    eventBytes += line.Length + 1;
                    if (eventBytes > maxEventBytes)
                    {
                        throw new SseEventTooLargeException(maxEventBytes);
                    }
                    switch (Read(line, data, name, hasData))
                    {
                        case LineKind.Data:
                            hasData = true;
                            break;
                        case LineKind.EndOfEvent:
                            yield return new ReceivedSseEvent(name.WrittenMemory, data.WrittenMemory);
                            data.ResetWrittenCount();
                            name.ResetWrittenCount();
                            hasData = false;
                            eventBytes = 0;
                            break;
                        case LineKind.Blank:
                            name.ResetWrittenCount();
                            eventBytes = 0;
                            break;
                    }
                }
                // A line without its end yet counts too, or one endless line would be buffered whole.
                if (eventBytes + buffer.Length > maxEventBytes)
                {
                    throw new SseEventTooLargeException(maxEventBytes);
                }
                reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    break;
                }
            }
            if (hasData)
            {
                yield return new ReceivedSseEvent(name.WrittenMemory, data.WrittenMemory);
            }
        }
        finally
        {
            await reader.CompleteAsync();
        }
    }

    /// <summary>Each event's data as a string.</summary>
    public static IAsyncEnumerable<string> ReadDataAsync(
        Stream stream, Action? onLine = null, CancellationToken cancellationToken = default) =>
        ReadDataAsync(stream, onLine, DefaultMaxEventBytes, cancellationToken);

    /// <summary>Each event's data as a string, with a cap other than <see cref="DefaultMaxEventBytes"/>.</summary>
    public static async IAsyncEnumerable<string> ReadDataAsync(
        Stream stream, Action? onLine, int maxEventBytes, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var data in ReadEventsAsync(stream, onLine, maxEventBytes, cancellationToken))
        {
            yield return Encoding.UTF8.GetString(data.Span);
        }
    }

    private enum LineKind
    {
        Other,
        Blank,
        Data,
        EndOfEvent,
    }

    /// <summary>
    /// The next whole line (without its end), or at the end of the stream what is left. <paramref name="searched"/> is how
    /// much of a line still without its end was searched before: a long line arriving in many reads is searched once,
    /// not again from its start on every read.
    /// </summary>
    private static bool NextLine(ref ReadOnlySequence<byte> buffer, ref long searched, bool endOfStream, out ReadOnlySequence<byte> line)
    {
        if (buffer.Slice(searched).PositionOf((byte)'\n') is { } end)
        {
            line = buffer.Slice(0, end);
            buffer = buffer.Slice(buffer.GetPosition(1, end));
            searched = 0;
            return true;
        }
        searched = buffer.Length;
        if (endOfStream && buffer.Length > 0)
        {
            line = buffer;
            buffer = buffer.Slice(buffer.End);
            searched = 0;
            return true;
        }
        line = default;
        return false;
    }

    private static LineKind Read(ReadOnlySequence<byte> line, ArrayBufferWriter<byte> data, ArrayBufferWriter<byte> name, bool hasData)
    {
        ReadOnlySpan<byte> text = line.IsSingleSegment ? line.FirstSpan : line.ToArray();
        if (text.Length > 0 && text[^1] == (byte)'\r')
        {
            text = text[..^1];
        }
        if (text.Length == 0)
        {
            return hasData ? LineKind.EndOfEvent : LineKind.Blank;
        }
        if (text.SequenceEqual("event"u8) || text.StartsWith("event:"u8))
        {
            name.ResetWrittenCount();
            name.Write(ValueOf(text, "event"u8.Length));
            return LineKind.Other;
        }
        if (!text.SequenceEqual("data"u8) && !text.StartsWith("data:"u8))
        {
            return LineKind.Other;
        }
        var value = ValueOf(text, "data"u8.Length);
        if (hasData)
        {
            data.Write("\n"u8);
        }
        data.Write(value);
        return LineKind.Data;
    }

    /// <summary>A field's value: what follows its name and colon, less one leading space.</summary>
    private static ReadOnlySpan<byte> ValueOf(ReadOnlySpan<byte> line, int nameLength)
    {
        var value = line.Length > nameLength + 1 ? line[(nameLength + 1)..] : [];
        return value.Length > 0 && value[0] == (byte)' ' ? value[1..] : value;
    }
}
