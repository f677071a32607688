using System.Diagnostics;
using System.Text;

namespace SfAi.Bench.Runner;

/// <summary>What one streamed answer looked like to the client: when the first event came, and the gaps between content events.</summary>
internal sealed record StreamTrace(double FirstEventMs, IReadOnlyList<double> ContentGapsMs, int Events);

internal sealed record StreamResult(string Path, double FirstEventP50Ms, double FirstEventP99Ms, double GapP50Ms, double GapP99Ms,
    double PacingErrorP50Ms, double PacingErrorP99Ms, int Streams);

/// <summary>
/// Sequential streams with a paced upstream: time to the first event and the gaps between content events, read as
/// they arrive on the socket. A content event is one carrying the fake's text (<c>" word"</c>) in either wire format.
/// </summary>
internal static class StreamTiming
{
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();

    public static async Task<StreamTrace> TraceAsync(HttpClient client, Uri url, string body, IReadOnlyDictionary<string, string>? headers = null,
        CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await client.SendAsync(Http.Post(url, body, headers), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[64 * 1024];
        var pending = new List<byte>();
        double? first = null;
        double? lastContent = null;
        var gaps = new List<double>();
        var events = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            var at = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            pending.AddRange(buffer.AsSpan(0, read));
            int end;
            while ((end = IndexOf(pending, EventEnd)) >= 0)
            {
                var text = Encoding.UTF8.GetString(pending.GetRange(0, end).ToArray());
                pending.RemoveRange(0, end + EventEnd.Length);
                events++;
                first ??= at;
                if (text.Contains("\" word\"", StringComparison.Ordinal))
                {
                    if (lastContent is { } previous)
                    {
                        gaps.Add(at - previous);
                    }
                    lastContent = at;
                }
            }
        }
        return new StreamTrace(first ?? double.NaN, gaps, events);
    }

    public static StreamResult Summarise(string path, IReadOnlyList<StreamTrace> traces, double nominalGapMs)
    {
        var firsts = traces.Select(t => t.FirstEventMs).ToArray();
        var gaps = traces.SelectMany(t => t.ContentGapsMs).ToArray();
        var errors = gaps.Select(g => Math.Abs(g - nominalGapMs)).ToArray();
        return new StreamResult(path, Percentile(firsts, 50), Percentile(firsts, 99), Percentile(gaps, 50), Percentile(gaps, 99),
            Percentile(errors, 50), Percentile(errors, 99), traces.Count);
    }

    public static double Percentile(IReadOnlyCollection<double> values, double percentile)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }
        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }

    private static int IndexOf(List<byte> haystack, byte[] needle)
    {
        for (var i = 0; i + needle.Length <= haystack.Count; i++)
        {
            if (haystack[i] == needle[0] && haystack[i + 1] == needle[1])
            {
                return i;
            }
        }
        return -1;
    }
}
