using System.Globalization;

namespace SfAi.Bench.Runner;

/// <summary>
/// <c>--aot</c> the native gateway binary (required); <c>--jit</c> the framework-dependent <c>SfAi.Api.dll</c>;
/// <c>--upstream</c> the fake upstream's dll (required); <c>--portkey</c> Portkey's <c>start-server.js</c>, to measure it
/// side by side; <c>--micro</c> BenchmarkDotNet's results folder; <c>--duration</c> seconds per load run (5);
/// <c>--streams</c> streams per path (50); <c>--open-streams</c> (1000); <c>--cold-runs</c> (7); <c>--floor-rounds</c>
/// alternating gateway/forwarder runs at 32 connections (5); <c>--out</c> the
/// Markdown report; <c>--work</c> a folder for logs; <c>--parts</c> which parts to run, comma-separated
/// (<c>load,streams,memory,cold</c>, all by default).
/// </summary>
internal sealed record BenchOptions(string Aot, string? Jit, string Upstream, string? Portkey, string? Micro, TimeSpan Duration,
    int Streams, int OpenStreams, int ColdRuns, string? Out, string Work, IReadOnlySet<string> Parts, int FloorRounds = 5)
{
    public static readonly IReadOnlyList<string> AllParts = ["load", "streams", "memory", "cold"];

    public bool Runs(string part) => Parts.Contains(part);

    public static BenchOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i].TrimStart('-')] = args[i + 1];
        }
        string? Get(string name) => values.TryGetValue(name, out var value) && value.Length > 0 ? value : null;
        int Number(string name, int fallback) => Get(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        return new BenchOptions(
            Get("aot") ?? throw new ArgumentException("--aot <path to the native SfAi.Api> is required."),
            Get("jit"),
            Get("upstream") ?? throw new ArgumentException("--upstream <path to SfAi.Bench.Upstream.dll> is required."),
            Get("portkey"),
            Get("micro"),
            TimeSpan.FromSeconds(Number("duration", 5)),
            Number("streams", 50),
            Number("open-streams", 1000),
            Number("cold-runs", 7),
            Get("out"),
            Get("work") ?? Directory.CreateTempSubdirectory("sfai-bench-").FullName,
            ParseParts(Get("parts")),
            Number("floor-rounds", 5));
    }

    private static HashSet<string> ParseParts(string? value)
    {
        if (value is null)
        {
            return [.. AllParts];
        }
        var parts = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        if (parts.FirstOrDefault(p => !AllParts.Contains(p)) is { } unknown)
        {
            throw new ArgumentException($"--parts: unknown part '{unknown}'; the parts are {string.Join(", ", AllParts)}.");
        }
        return parts;
    }
}
