using System.Diagnostics;
using SfAi.Bench.Runner;

namespace SfAi.Bench.Soak;

/// <summary>One RSS sample: seconds since the streams started, resident MiB, streams open and completed so far.</summary>
internal sealed record RssSample(double Seconds, double RssMiB, int Open, long Completed);

internal sealed record SoakResult(
    IReadOnlyList<RssSample> Samples, long Started, long Completed, long Failed, long CompletionLines, long ErrorLines,
    TimeSpan Elapsed);

/// <summary>
/// Holds <see cref="SoakOptions.Streams"/> streams open through the gateway for the whole duration: each slot opens a
/// paced stream (30 events a second apart), reads it to <c>[DONE]</c> and opens the next, alternating the OpenAI
/// pass-through and the Anthropic translation. RSS is sampled from <c>/proc</c>; at the end the gateway's
/// <c>chat_completion</c> lines are counted against the streams that completed.
/// </summary>
internal sealed class Soak(SoakOptions options)
{
    private const int UpstreamPort = 18300;
    private const int GatewayPort = 18380;
    private static readonly string[] Aliases = ["held-openai", "held-anthropic"];
    private static readonly TimeSpan StreamLimit = TimeSpan.FromSeconds(120);

    private long _started;
    private long _completed;
    private long _failed;
    private int _open;

    public async Task<SoakResult> RunAsync()
    {
        var logFile = Path.Combine(options.Work, "gateway.log");
        await using var upstream = ChildProcess.Start("fake upstream", "dotnet", [options.Upstream, "--urls", $"http://127.0.0.1:{UpstreamPort}"],
            new Dictionary<string, string>(), Path.Combine(options.Work, "upstream.log"));
        var (file, arguments) = options.Gateway.EndsWith(".dll", StringComparison.Ordinal)
            ? ("dotnet", new List<string> { options.Gateway })
            : (options.Gateway, []);
        arguments.AddRange(["--urls", $"http://127.0.0.1:{GatewayPort}"]);
        await using var gateway = ChildProcess.Start("gateway", file, arguments, new Dictionary<string, string>
        {
            ["MODEL_MAP_PATH"] = Path.Combine(AppContext.BaseDirectory, "config", "soak_model_map.json"),
            ["AUTH_MODE"] = "none",
            ["BENCH_UPSTREAM_KEY"] = "sk-bench",
            ["LOG_FORMAT"] = "json",
        }, logFile);

        using var client = Http.CreateClient();
        var chat = new Uri($"http://127.0.0.1:{GatewayPort}/v1/chat/completions");
        await Http.WaitUntilAnswersAsync(client, new Uri($"http://127.0.0.1:{UpstreamPort}/v1/chat/completions"), Body("x", stream: false), TimeSpan.FromSeconds(30));
        await Http.WaitUntilAnswersAsync(client, chat, Body("held-openai", stream: false), TimeSpan.FromSeconds(30));
        // The warm-up call's own line is written in the background: wait for it, so it is not counted as a stream's.
        var linesBefore = 0L;
        for (var i = 0; i < 50 && (linesBefore = CountLines(logFile, "chat_completion")) == 0; i++)
        {
            await Task.Delay(100);
        }

        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        var samples = new List<RssSample>();
        var sampler = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(options.SampleEvery);
            try
            {
                do
                {
                    var (rss, _) = gateway.Memory();
                    var sample = new RssSample(clock.Elapsed.TotalSeconds, rss, Volatile.Read(ref _open), Interlocked.Read(ref _completed));
                    lock (samples)
                    {
                        samples.Add(sample);
                    }
                    Console.Error.WriteLine(
                        $"[soak] {sample.Seconds,6:0} s  RSS {sample.RssMiB,6:0.0} MiB  open {sample.Open,5}  completed {sample.Completed,7}  failed {Interlocked.Read(ref _failed)}");
                }
                while (await timer.WaitForNextTickAsync(stop.Token));
            }
            catch (OperationCanceledException)
            {
            }
        });

        // The slots start over the first 30 s, so the streams do not all tick in step.
        var ramp = TimeSpan.FromSeconds(30) / options.Streams;
        var slots = Enumerable.Range(0, options.Streams)
            .Select(i => Task.Run(() => SlotAsync(client, chat, Aliases[i % Aliases.Length], ramp * i, clock, options.Duration)))
            .ToArray();
        // Every slot stops opening streams at the deadline; the ones still open finish within StreamLimit.
        await Task.WhenAll(slots).WaitAsync(options.Duration + StreamLimit + TimeSpan.FromSeconds(30));
        var elapsed = clock.Elapsed;

        // The gateway writes its lines in the background (at most ~2 ms behind); give it a moment, then count.
        await Task.Delay(TimeSpan.FromSeconds(3));
        await stop.CancelAsync();
        await sampler;
        return new SoakResult(samples, _started, _completed, _failed,
            CountLines(logFile, "chat_completion") - linesBefore, CountLines(logFile, "llm_error"), elapsed);
    }

    private async Task SlotAsync(HttpClient client, Uri chat, string alias, TimeSpan delay, Stopwatch clock, TimeSpan duration)
    {
        await Task.Delay(delay);
        var body = Body(alias, stream: true);
        for (var i = 0; clock.Elapsed < duration && i < 10_000; i++)
        {
            Interlocked.Increment(ref _started);
            Interlocked.Increment(ref _open);
            try
            {
                if (await ReadStreamAsync(client, chat, body))
                {
                    Interlocked.Increment(ref _completed);
                }
                else
                {
                    Interlocked.Increment(ref _failed);
                }
            }
            finally
            {
                Interlocked.Decrement(ref _open);
            }
        }
    }

    /// <summary>True when the stream ends with <c>[DONE]</c> and carried no error event.</summary>
    private static async Task<bool> ReadStreamAsync(HttpClient client, Uri chat, string body)
    {
        using var limit = new CancellationTokenSource(StreamLimit);
        try
        {
            using var response = await client.SendAsync(Http.Post(chat, body, bearer: null), HttpCompletionOption.ResponseHeadersRead, limit.Token);
            if (!response.IsSuccessStatusCode)
            {
                return false;
            }
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(limit.Token));
            var error = false;
            while (await reader.ReadLineAsync(limit.Token) is { } line)
            {
                if (line == "data: [DONE]")
                {
                    return !error;
                }
                error |= line.StartsWith("data: {\"error\"", StringComparison.Ordinal);
            }
            return false;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
        {
            return false;
        }
    }

    private static string Body(string model, bool stream) =>
        $$"""{"model":"{{model}}","stream":{{(stream ? "true" : "false")}},"messages":[{"role":"system","content":"You are terse."},{"role":"user","content":"Count slowly to thirty."}]}""";

    /// <summary>The gateway's JSON log lines whose <c>event</c> is <paramref name="eventName"/>.</summary>
    private static long CountLines(string logFile, string eventName)
    {
        var marker = $"\"event\":\"{eventName}\"";
        using var stream = new FileStream(logFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        long count = 0;
        while (reader.ReadLine() is { } line)
        {
            if (line.Contains(marker, StringComparison.Ordinal))
            {
                count++;
            }
        }
        return count;
    }
}
