using System.Text;

namespace SfAi.Bench.Runner;

internal sealed record OpenStreamsResult(int Requested, int Open, double RssMiB, double PeakRssMiB);

/// <summary>
/// Many slow streams at once through the gateway: once every one has received its first event, the gateway's resident
/// memory is read; then the clients hang up (which also cancels the upstream calls).
/// </summary>
internal static class OpenStreams
{
    public static async Task<OpenStreamsResult> MeasureAsync(HttpClient client, Uri url, string body, int count, ChildProcess gateway)
    {
        using var hangUp = new CancellationTokenSource();
        var opened = 0;
        var allOpen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        async Task HoldAsync()
        {
            try
            {
                using var response = await client.SendAsync(Http.Post(url, body), HttpCompletionOption.ResponseHeadersRead, hangUp.Token);
                await using var stream = await response.Content.ReadAsStreamAsync(hangUp.Token);
                var buffer = new byte[4096];
                var counted = false;
                int read;
                while ((read = await stream.ReadAsync(buffer, hangUp.Token)) > 0)
                {
                    if (!counted && Encoding.UTF8.GetString(buffer, 0, read).Contains("data:", StringComparison.Ordinal))
                    {
                        counted = true;
                        if (Interlocked.Increment(ref opened) == count)
                        {
                            allOpen.TrySetResult();
                        }
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
            catch (HttpRequestException)
            {
            }
        }

        var holders = Enumerable.Range(0, count).Select(_ => Task.Run(HoldAsync)).ToArray();
        await Task.WhenAny(allOpen.Task, Task.Delay(TimeSpan.FromSeconds(30)));
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        var (rss, peak) = gateway.Memory();
        var open = Volatile.Read(ref opened);
        await hangUp.CancelAsync();
        await Task.WhenAll(holders);
        return new OpenStreamsResult(count, open, rss, peak);
    }
}
