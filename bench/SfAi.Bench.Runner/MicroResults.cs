using System.Text.Json;

namespace SfAi.Bench.Runner;

internal sealed record MicroResult(string Benchmark, double MeanNs, double? AllocatedBytes);

/// <summary>The microbenchmarks' figures, read from BenchmarkDotNet's JSON reports.</summary>
internal static class MicroResults
{
    public static IReadOnlyList<MicroResult> Read(string? directory)
    {
        if (directory is null || !Directory.Exists(directory))
        {
            return [];
        }
        var results = new List<MicroResult>();
        foreach (var file in Directory.EnumerateFiles(directory, "*-report-full.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file));
            foreach (var benchmark in document.RootElement.GetProperty("Benchmarks").EnumerateArray())
            {
                if (!benchmark.TryGetProperty("Statistics", out var statistics) || statistics.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }
                double? allocated = benchmark.TryGetProperty("Memory", out var memory) && memory.ValueKind == JsonValueKind.Object
                    ? memory.GetProperty("BytesAllocatedPerOperation").GetDouble()
                    : null;
                var type = benchmark.GetProperty("Type").GetString();
                var method = benchmark.GetProperty("Method").GetString();
                var parameters = benchmark.TryGetProperty("Parameters", out var p) && p.GetString() is { Length: > 0 } text ? $" ({text})" : "";
                results.Add(new MicroResult($"{type}.{method}{parameters}", statistics.GetProperty("Mean").GetDouble(), allocated));
            }
        }
        return results;
    }
}
