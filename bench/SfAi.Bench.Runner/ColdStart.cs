using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace SfAi.Bench.Runner;

internal sealed record ColdStartResult(string Mode, double MedianMs, double MinMs, double MaxMs, int Runs);

/// <summary>Process start → first successful chat completion on the <c>echo</c> alias, with the shipped configuration.</summary>
internal static class ColdStart
{
    private const int Port = 18250;

    public static async Task<ColdStartResult> MeasureAsync(string mode, string fileName, IReadOnlyList<string> arguments,
        int runs, string logDirectory)
    {
        var url = new Uri($"http://127.0.0.1:{Port}/v1/chat/completions");
        var body = """{"model":"echo","messages":[{"role":"user","content":"ping"}]}""";
        var times = new List<double>();
        for (var run = 0; run < runs; run++)
        {
            using var client = Http.CreateClient();
            var started = Stopwatch.GetTimestamp();
            await using var process = ChildProcess.Start($"{mode} gateway", fileName, [.. arguments, "--urls", $"http://127.0.0.1:{Port}"],
                new Dictionary<string, string> { ["LOG_FORMAT"] = "json", ["USAGE_STORE"] = "off" }, Path.Combine(logDirectory, $"cold-{mode}-{run}.log"));
            await WaitUntilListeningAsync(mode, started);
            using (var response = await client.SendAsync(Http.Post(url, body, bearer: null)))
            {
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"The {mode} gateway answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                }
            }
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        return new ColdStartResult(mode, StreamTiming.Percentile(times, 50), times.Min(), times.Max(), runs);
    }

    /// <summary>
    /// Polls with plain connects, every millisecond: a refused connect costs the machine next to nothing, where a failing
    /// HTTP request would spend the runner's CPU (exceptions) on the cores the gateway is starting on.
    /// </summary>
    private static async Task WaitUntilListeningAsync(string mode, long started)
    {
        var endpoint = new IPEndPoint(IPAddress.Loopback, Port);
        while (true)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                socket.Connect(endpoint);
                return;
            }
            catch (SocketException)
            {
            }
            if (Stopwatch.GetElapsedTime(started) > TimeSpan.FromSeconds(20))
            {
                throw new TimeoutException($"The {mode} gateway did not listen within 20 s.");
            }
            await Task.Delay(1);
        }
    }
}
