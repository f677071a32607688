using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;

namespace SfAi.Bench.Micro;

/// <summary>
/// The gateway's hot paths, measured in process (no generated project to build) with a short job, so the whole suite
/// takes about two minutes on two cores. Reports (JSON for bench/run.sh's report, GitHub markdown) go to
/// bench/results/micro. Run: <c>dotnet run -c Release --project bench/SfAi.Bench.Micro -- --filter '*'</c>.
/// </summary>
internal static class Program
{
    public static void Main(string[] args)
    {
        var job = Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(3)
            .WithIterationCount(8)
            .WithIterationTime(TimeInterval.FromMilliseconds(400))
            .WithId("Micro")
            .AsDefault();
        var config = ManualConfig.CreateMinimumViable()
            .AddJob(job)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddExporter(JsonExporter.Full, MarkdownExporter.GitHub)
            .AddAnalyser([.. DefaultConfig.Instance.GetAnalysers()])
            .AddValidator([.. DefaultConfig.Instance.GetValidators()])
            .WithArtifactsPath(ResultsDirectory());
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
    }

    /// <summary>bench/results/micro of the checkout this program was built in, wherever it is started from.</summary>
    private static string ResultsDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SfAi.sln")))
            {
                return Path.Combine(directory.FullName, "bench", "results", "micro");
            }
        }
        return Path.Combine(Environment.CurrentDirectory, "bench", "results", "micro");
    }
}
