using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SfAi.Core.Json;

/// <summary>
/// Writer settings for every JSON the gateway produces: non-ASCII text (Japanese) stays as UTF-8 rather than
/// <c>\uXXXX</c> escapes, as OpenAI writes it; characters beyond the Basic Multilingual Plane (emoji) are still
/// written as escaped surrogate pairs, which every JSON reader decodes to the same text. HTML-sensitive characters
/// need no escaping in API bodies.
/// </summary>
public static class JsonWriting
{
    public static JsonWriterOptions Options { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private const int LargestKeptBuffer = 64 * 1024;

    [ThreadStatic]
    private static PooledWriter? t_writer;

    public static byte[] ToUtf8(JsonNode node) => Write(node, static (writer, n) => n.WriteTo(writer));

    /// <summary>
    /// Writes JSON with a writer and buffer kept per thread and reset for each use, so writing a small JSON (a stream
    /// chunk) allocates only its result. A nested call, or one whose output grew past 64 KiB, uses fresh ones.
    /// </summary>
    public static byte[] Write<TState>(TState state, Action<Utf8JsonWriter, TState> write) => Write(state, write, newline: false);

    /// <summary>As <see cref="Write{TState}(TState, Action{Utf8JsonWriter, TState})"/>, ending with a newline: one line of JSON lines.</summary>
    public static byte[] WriteLine<TState>(TState state, Action<Utf8JsonWriter, TState> write) => Write(state, write, newline: true);

    /// <summary>
    /// Writes one line of JSON lines and hands it to <paramref name="take"/> while the thread's buffer still holds it:
    /// nothing is allocated for the line (<paramref name="take"/> copies what it keeps).
    /// </summary>
    public static void WriteLine<TState, TTarget>(TState state, Action<Utf8JsonWriter, TState> write, TTarget target, LineAction<TTarget> take)
    {
        var pooled = Acquire();
        try
        {
            Fill(pooled, state, write, newline: true);
            take(pooled.Buffer.WrittenSpan, target);
        }
        finally
        {
            Release(pooled);
        }
    }

    /// <summary>Takes a line written by <see cref="WriteLine{TState, TTarget}"/>.</summary>
    public delegate void LineAction<in TTarget>(ReadOnlySpan<byte> line, TTarget target);

    private static byte[] Write<TState>(TState state, Action<Utf8JsonWriter, TState> write, bool newline)
    {
        var pooled = Acquire();
        try
        {
            Fill(pooled, state, write, newline);
            return pooled.Buffer.WrittenSpan.ToArray();
        }
        finally
        {
            Release(pooled);
        }
    }

    private static PooledWriter Acquire()
    {
        var pooled = t_writer;
        if (pooled is null || pooled.InUse)
        {
            pooled = new PooledWriter();
            if (t_writer is null)
            {
                t_writer = pooled;
            }
        }
        pooled.InUse = true;
        return pooled;
    }

    private static void Fill<TState>(PooledWriter pooled, TState state, Action<Utf8JsonWriter, TState> write, bool newline)
    {
        pooled.Buffer.ResetWrittenCount();
        pooled.Writer.Reset(pooled.Buffer);
        write(pooled.Writer, state);
        pooled.Writer.Flush();
        if (newline)
        {
            pooled.Buffer.Write("\n"u8);
        }
    }

    private static void Release(PooledWriter pooled)
    {
        pooled.InUse = false;
        if (pooled.Buffer.Capacity > LargestKeptBuffer && ReferenceEquals(t_writer, pooled))
        {
            t_writer = null;
        }
    }

    private sealed class PooledWriter
    {
        public PooledWriter()
        {
            Buffer = new ArrayBufferWriter<byte>(1024);
            Writer = new Utf8JsonWriter(Buffer, Options);
        }

        public ArrayBufferWriter<byte> Buffer { get; }

        public Utf8JsonWriter Writer { get; }

        public bool InUse { get; set; }
    }
}
