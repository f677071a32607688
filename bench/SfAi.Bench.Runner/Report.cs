using System.Globalization;
using System.Text;

namespace SfAi.Bench.Runner;

/// <summary>Everything the suite measured, and the issue's targets checked against it.</summary>
internal sealed class Report(int cores, string cpu, TimeSpan duration)
{
    private const string DirectOpenAI = "direct → fake (OpenAI)";
    public const string GatewayOpenAI = "gateway → fake (OpenAI pass-through)";
    private const string DirectAnthropic = "direct → fake (Anthropic)";
    private const string GatewayAnthropic = "gateway → fake (Anthropic translation)";
    private const string Portkey = "Portkey → fake (OpenAI)";

    public List<LoadResult> Load { get; } = [];

    /// <summary>Pairs of runs at 32 connections, gateway and bare forwarder one after the other (<c>--floor-rounds</c>).</summary>
    public List<(LoadResult Gateway, LoadResult Forwarder)> FloorRounds { get; } = [];
    public List<StreamResult> Streams { get; } = [];
    public List<ColdStartResult> ColdStarts { get; } = [];
    public List<MicroResult> Micro { get; } = [];
    public double IdleRssMiB { get; set; }
    public double LoadPeakRssMiB { get; set; }
    public OpenStreamsResult? OpenStreams { get; set; }
    public List<string> Notes { get; } = [];

    public string ToMarkdown()
    {
        var md = new StringBuilder();
        Line(md, $"## SfAi Gateway benchmark — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {cores} cores ({cpu})");
        Line(md);
        if (Load.Count > 0)
        {
            Line(md, $"### Non-stream, 1 KB request body (wrk, 1 thread, keep-alive, {duration.TotalSeconds:0} s per run after 1 s warm-up)");
            Line(md);
            Line(md, "| path | conns | req/s | p50 ms | p99 ms | p99.9 ms | × direct | added p50 ms | added p99 ms | server CPU µs/req | errors |");
            Line(md, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var row in Load)
            {
                var direct = DirectFor(row);
                var isDirect = ReferenceEquals(direct, row) || direct is null;
                Line(md, $"| {row.Target} | {row.Connections} | {row.RequestsPerSecond:0} | {row.P50Ms:0.000} | {row.P99Ms:0.000} | {row.P999Ms:0.000} | " +
                    (isDirect ? "1 | | | " : $"{row.RequestsPerSecond / direct!.RequestsPerSecond:0.00} | {row.P50Ms - direct.P50Ms:+0.000;-0.000} | {row.P99Ms - direct.P99Ms:+0.000;-0.000} | ") +
                    $"{(row.GatewayCpuMicrosecondsPerRequest > 0 ? row.GatewayCpuMicrosecondsPerRequest.ToString("0", CultureInfo.InvariantCulture) : "")} | {row.Errors} |");
            }
            Line(md);
        }
        if (FloorRounds.Count > 0)
        {
            Line(md, $"### The gateway against the bare forwarder, alternating ({FloorRounds.Count} rounds at 32 connections, the order swapped each round)");
            Line(md);
            Line(md, "| round | gateway req/s | forwarder req/s | × forwarder req/s | gateway CPU µs/req | forwarder CPU µs/req | × forwarder CPU |");
            Line(md, "|---|---:|---:|---:|---:|---:|---:|");
            var round = 0;
            foreach (var (gateway, forwarder) in FloorRounds)
            {
                Line(md, $"| {++round} | {gateway.RequestsPerSecond:0} | {forwarder.RequestsPerSecond:0} | {Throughput(gateway, forwarder):0.00} | " +
                    $"{gateway.GatewayCpuMicrosecondsPerRequest:0.0} | {forwarder.GatewayCpuMicrosecondsPerRequest:0.0} | {Cpu(gateway, forwarder):0.00} |");
            }
            Line(md, $"| median | | | {FloorMedian(Throughput):0.00} | | | {FloorMedian(Cpu):0.00} |");
            Line(md);
        }
        if (Streams.Count > 0)
        {
            Line(md, "### Streams (upstream paces 20 content events 10 ms apart, one stream at a time; the unpaced rows send 8 events at once)");
            Line(md);
            Line(md, "| path | streams | first event p50 ms | first event p99 ms | added first event p50 ms | gap p50 ms | gap p99 ms | pacing error p50 ms | pacing error p99 ms |");
            Line(md, "|---|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var row in Streams)
            {
                var direct = Streams.FirstOrDefault(s => s.Path == DirectPath(row.Path));
                var added = direct is null || direct == row ? "" : (row.FirstEventP50Ms - direct.FirstEventP50Ms).ToString("+0.000;-0.000", CultureInfo.InvariantCulture);
                Line(md, $"| {row.Path} | {row.Streams} | {row.FirstEventP50Ms:0.000} | {row.FirstEventP99Ms:0.000} | {added} | {row.GapP50Ms:0.000} | {row.GapP99Ms:0.000} | {row.PacingErrorP50Ms:0.000} | {row.PacingErrorP99Ms:0.000} |");
            }
            Line(md);
        }
        if (IdleRssMiB > 0)
        {
            Line(md, "### Memory (native AOT gateway, resident set)");
            Line(md);
            Line(md, "| state | RSS MiB |");
            Line(md, "|---|---:|");
            Line(md, $"| idle, after start and one request per path | {IdleRssMiB:0.0} |");
            if (LoadPeakRssMiB > 0)
            {
                Line(md, $"| peak during the load runs | {LoadPeakRssMiB:0.0} |");
            }
            if (OpenStreams is { } open)
            {
                Line(md, $"| {open.Open} of {open.Requested} streams open at once | {open.RssMiB:0.0} |");
            }
            Line(md);
        }
        if (ColdStarts.Count > 0)
        {
            Line(md, "### Cold start (process start → first chat completion on `echo`, shipped configuration)");
            Line(md);
            Line(md, "| mode | runs | median ms | min ms | max ms |");
            Line(md, "|---|---:|---:|---:|---:|");
            foreach (var row in ColdStarts)
            {
                Line(md, $"| {row.Mode} | {row.Runs} | {row.MedianMs:0.0} | {row.MinMs:0.0} | {row.MaxMs:0.0} |");
            }
        }
        if (Micro.Count > 0)
        {
            Line(md);
            Line(md, "### Microbenchmarks (BenchmarkDotNet, in process)");
            Line(md);
            Line(md, "| benchmark | mean µs | allocated B |");
            Line(md, "|---|---:|---:|");
            foreach (var row in Micro)
            {
                Line(md, $"| {row.Benchmark} | {row.MeanNs / 1000:0.000} | {(row.AllocatedBytes is { } b ? b.ToString("0", CultureInfo.InvariantCulture) : "")} |");
            }
        }
        foreach (var note in Notes)
        {
            Line(md);
            Line(md, $"Note: {note}");
        }
        Line(md);
        Line(md, "### Targets");
        Line(md);
        Line(md, "| target | measured | met |");
        Line(md, "|---|---|:---:|");
        foreach (var (name, measured, met) in Targets())
        {
            Line(md, $"| {name} | {measured} | {(met is null ? "n/a" : met.Value ? "yes" : "NO")} |");
        }
        return md.ToString();
    }

    private IEnumerable<(string Name, string Measured, bool? Met)> Targets()
    {
        var gw32 = Find(GatewayOpenAI, 32);
        var direct32 = Find(DirectOpenAI, 32);
        var portkey32 = Find(Portkey, 32);
        if (gw32 is not null && portkey32 is not null)
        {
            var ratio = gw32.RequestsPerSecond / portkey32.RequestsPerSecond;
            yield return ("pass-through at 32 conns ≥ 10× Portkey's req/s", $"{ratio:0.0}×", ratio >= 10);
        }
        if (gw32 is not null && direct32 is not null)
        {
            var ratio = gw32.RequestsPerSecond / direct32.RequestsPerSecond;
            yield return ("pass-through at 32 conns ≥ 0.5× direct req/s", $"{ratio:0.00}×", ratio >= 0.5);
            var added = gw32.P99Ms - direct32.P99Ms;
            yield return ("added p99 at 32 conns ≤ 2 ms", $"{added:0.000} ms", added <= 2);
            if (Find(Suite.Forwarder, 32) is { } floor)
            {
                yield return ("the floor: bare .NET forwarder at 32 conns (× direct, added p99)",
                    $"{floor.RequestsPerSecond / direct32.RequestsPerSecond:0.00}×, {floor.P99Ms - direct32.P99Ms:0.000} ms", null);
                yield return ("the gateway against the floor at 32 conns (req/s, server CPU per request)",
                    $"{gw32.RequestsPerSecond / floor.RequestsPerSecond:0.00}×, {gw32.GatewayCpuMicrosecondsPerRequest:0} vs {floor.GatewayCpuMicrosecondsPerRequest:0} µs", null);
            }
        }
        if (FloorRounds.Count > 0)
        {
            var throughput = FloorMedian(Throughput);
            var cpu = FloorMedian(Cpu);
            yield return ($"pass-through ≥ 0.75× the bare forwarder's req/s at 32 conns (median of {FloorRounds.Count} alternating rounds)", $"{throughput:0.00}×", throughput >= 0.75);
            yield return ($"pass-through CPU per request ≤ 1.5× the bare forwarder's at 32 conns (median of {FloorRounds.Count} alternating rounds)", $"{cpu:0.00}×", cpu <= 1.5);
        }
        if (Streams.FirstOrDefault(s => s.Path == GatewayOpenAI) is { } gatewayStream && Streams.FirstOrDefault(s => s.Path == Suite.Forwarder) is { } forwarderStream)
        {
            var behind = gatewayStream.FirstEventP50Ms - forwarderStream.FirstEventP50Ms;
            yield return ("pass-through first event p50 within 0.3 ms of the bare forwarder's", $"{behind:+0.000;-0.000} ms", behind <= 0.3);
        }
        if (Find(GatewayOpenAI, 1) is { } gw1 && Find(DirectOpenAI, 1) is { } direct1)
        {
            var added = gw1.P50Ms - direct1.P50Ms;
            yield return ("added p50 at 1 conn ≤ 0.3 ms", $"{added:0.000} ms", added <= 0.3);
        }
        foreach (var (gateway, direct) in new[] { (GatewayOpenAI, DirectOpenAI), (GatewayAnthropic, DirectAnthropic) })
        {
            var g = Streams.FirstOrDefault(s => s.Path == gateway);
            var d = Streams.FirstOrDefault(s => s.Path == direct);
            if (g is not null && d is not null)
            {
                var added = g.FirstEventP50Ms - d.FirstEventP50Ms;
                yield return ($"{gateway}: added first event p50 ≤ 1 ms", $"{added:0.000} ms", added <= 1);
                var pacing = g.PacingErrorP99Ms - d.PacingErrorP99Ms;
                yield return ($"{gateway}: gaps preserved within 1 ms (pacing error p99 − direct's)", $"{pacing:0.000} ms", pacing <= 1);
            }
        }
        if (IdleRssMiB > 0)
        {
            yield return ("native AOT idle RSS ≤ 40 MiB", $"{IdleRssMiB:0.0} MiB", IdleRssMiB <= 40);
        }
        if (OpenStreams is { } open)
        {
            yield return ($"RSS with {open.Requested} open streams ≤ 150 MiB", $"{open.RssMiB:0.0} MiB ({open.Open} open)",
                open.Open == open.Requested && open.RssMiB <= 150);
        }
        if (ColdStarts.FirstOrDefault(c => c.Mode == "native AOT") is { } aot)
        {
            yield return ("native AOT cold start median ≤ 60 ms", $"{aot.MedianMs:0.0} ms", aot.MedianMs <= 60);
        }
        foreach (var chunk in Micro.Where(m => m.Benchmark.Contains("chunk", StringComparison.OrdinalIgnoreCase)
            && m.Benchmark.Contains("Anthropic", StringComparison.OrdinalIgnoreCase)))
        {
            yield return ($"{chunk.Benchmark} ≤ 5 µs and ≤ 512 B", $"{chunk.MeanNs / 1000:0.000} µs, {chunk.AllocatedBytes:0} B",
                chunk.MeanNs <= 5000 && chunk.AllocatedBytes <= 512);
        }
    }

    private static double Throughput(LoadResult gateway, LoadResult forwarder) => gateway.RequestsPerSecond / forwarder.RequestsPerSecond;

    private static double Cpu(LoadResult gateway, LoadResult forwarder) =>
        gateway.GatewayCpuMicrosecondsPerRequest / forwarder.GatewayCpuMicrosecondsPerRequest;

    private double FloorMedian(Func<LoadResult, LoadResult, double> ratio)
    {
        var ratios = FloorRounds.Select(r => ratio(r.Gateway, r.Forwarder)).Order().ToArray();
        return ratios.Length % 2 == 1 ? ratios[ratios.Length / 2] : (ratios[ratios.Length / 2 - 1] + ratios[ratios.Length / 2]) / 2;
    }

    private LoadResult? Find(string target, int connections) =>
        Load.FirstOrDefault(l => l.Target == target && l.Connections == connections);

    private LoadResult? DirectFor(LoadResult row) => Find(DirectPath(row.Target), row.Connections);

    private static string DirectPath(string path) => path switch
    {
        Suite.UnpacedGateway or Suite.UnpacedDirect => Suite.UnpacedDirect,
        GatewayAnthropic or DirectAnthropic => DirectAnthropic,
        _ => DirectOpenAI,
    };

    private static void Line(StringBuilder md, string text = "") => md.Append(text).Append('\n');
}
