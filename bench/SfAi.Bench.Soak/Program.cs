using SfAi.Bench.Soak;

// The soak (bench/soak.sh builds what it needs and calls this): 1,000 streams held open through the published gateway
// for 10 minutes against the fake upstream on 127.0.0.1, RSS sampled every 10 s; it checks that memory does not trend
// upward and that every completed stream has its chat_completion log line. Exit code 0 when both hold.
var options = SoakOptions.Parse(args);
Directory.CreateDirectory(options.Work);
var result = await new Soak(options).RunAsync();
var report = new SoakReport(options, result);
var markdown = report.ToMarkdown();
Console.WriteLine(markdown);
if (options.Out is { } output)
{
    await File.WriteAllTextAsync(output, markdown);
}
return report.Passed ? 0 : 1;
