using System.Globalization;
using System.Text;

namespace SfAi.Hosting.Lambda.Streaming;

/// <summary>HTTP/1.1 chunked transfer coding (RFC 9112, section 7.1): chunks, the last chunk and its trailers.</summary>
internal static class ChunkedEncoding
{
    private const int SizeLineLength = 8 + 2;

    public static int MaxFrameLength(int dataLength) => SizeLineLength + dataLength + 2;

    /// <summary>Writes one chunk holding <paramref name="data"/> then <paramref name="zeros"/> NUL bytes.</summary>
    /// <returns>How many bytes the chunk took.</returns>
    public static int Frame(Span<byte> destination, ReadOnlySpan<byte> data, int zeros)
    {
        var size = data.Length + zeros;
        size.TryFormat(destination, out var written, "X", CultureInfo.InvariantCulture);
        "\r\n"u8.CopyTo(destination[written..]);
        written += 2;
        data.CopyTo(destination[written..]);
        written += data.Length;
        destination.Slice(written, zeros).Clear();
        written += zeros;
        "\r\n"u8.CopyTo(destination[written..]);
        return written + 2;
    }

    /// <summary>The zero-length chunk that ends the body, with trailer fields (their values must be single-line ASCII).</summary>
    public static byte[] LastChunk(IReadOnlyList<(string Name, string Value)> trailers)
    {
        var text = new StringBuilder("0\r\n");
        foreach (var (name, value) in trailers)
        {
            text.Append(name).Append(": ").Append(value).Append("\r\n");
        }
        return Encoding.ASCII.GetBytes(text.Append("\r\n").ToString());
    }
}
