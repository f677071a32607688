using System.Runtime.CompilerServices;
using System.Text;

namespace SfAi.Core.Streaming;

/// <summary>
/// Reads the <c>data</c> of server-sent events as they arrive (https://html.spec.whatwg.org/multipage/server-sent-events.html):
/// one string per event, its data lines joined by newlines; comments, <c>event</c>, <c>id</c> and <c>retry</c> lines are skipped.
/// </summary>
public static class SseEventReader
{
    public static async IAsyncEnumerable<string> ReadDataAsync(
        Stream stream, Action? onLine = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 4096);
        var data = new StringBuilder();
        var hasData = false;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            onLine?.Invoke();
            if (line.Length == 0)
            {
                if (hasData)
                {
                    yield return data.ToString();
                    data.Clear();
                    hasData = false;
                }
                continue;
            }
            if (line != "data" && !line.StartsWith("data:", StringComparison.Ordinal))
            {
                continue;
            }
            var value = line.Length > 5 ? line.AsSpan(5) : [];
            if (value.Length > 0 && value[0] == ' ')
            {
                value = value[1..];
            }
            if (hasData)
            {
                data.Append('\n');
            }
            data.Append(value);
            hasData = true;
        }
        if (hasData)
        {
            yield return data.ToString();
        }
    }
}
