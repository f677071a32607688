using System.Globalization;
using System.Text;

namespace SfAi.Hosting.Lambda.Streaming;

/// <summary>Reads the head of an HTTP/1.1 response from a stream and returns its status code.</summary>
internal static class HttpStatusLine
{
    private const int MaxHeadLength = 16 * 1024;

    /// <returns>The status code; 0 when the peer closed before sending one.</returns>
    public static async Task<int> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var head = new byte[MaxHeadLength];
        var length = 0;
        while (length < head.Length && head.AsSpan(0, length).IndexOf("\r\n\r\n"u8) < 0)
        {
            var read = await stream.ReadAsync(head.AsMemory(length), cancellationToken);
            if (read == 0)
            {
                break;
            }
            length += read;
        }
        var lineEnd = head.AsSpan(0, length).IndexOf("\r\n"u8);
        var line = Encoding.ASCII.GetString(head, 0, lineEnd < 0 ? length : lineEnd);
        var parts = line.Split(' ', 3);
        return parts.Length >= 2 && parts[0].StartsWith("HTTP/", StringComparison.Ordinal)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var status)
            ? status
            : 0;
    }
}
