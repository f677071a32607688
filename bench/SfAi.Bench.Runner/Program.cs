using SfAi.Bench.Runner;

// The benchmark suite (bench/run.sh builds what it needs and calls this): end-to-end load, streams, memory and cold
// start against a fake upstream on 127.0.0.1, then one report with ratios and the targets.
var options = BenchOptions.Parse(args);
Directory.CreateDirectory(options.Work);
var suite = new Suite(options);
var report = await suite.RunAsync();
var markdown = report.ToMarkdown();
Console.WriteLine(markdown);
if (options.Out is { } output)
{
    await File.WriteAllTextAsync(output, markdown);
}
