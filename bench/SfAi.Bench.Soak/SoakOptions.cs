using System.Globalization;

namespace SfAi.Bench.Soak;

/// <summary>
/// <c>--gateway</c> the published gateway (the native binary, or <c>SfAi.Api.dll</c> for the JIT build; required);
/// <c>--upstream</c> the fake upstream's dll (required); <c>--streams</c> streams held open at once (1000);
/// <c>--minutes</c> how long new streams keep being opened (10); <c>--sample-seconds</c> between two RSS samples (10);
/// <c>--warmup-seconds</c> samples left out of the trend check (120); <c>--tolerance</c> how far, in percent, the last
/// third's mean RSS may lie above the first third's (10); <c>--work</c> a folder for logs; <c>--out</c> the Markdown report.
/// </summary>
internal sealed record SoakOptions(string Gateway, string Upstream, int Streams, TimeSpan Duration, TimeSpan SampleEvery,
    TimeSpan Warmup, double TolerancePercent, string Work, string? Out)
{
    public static SoakOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i].TrimStart('-')] = args[i + 1];
        }
        string? Get(string name) => values.TryGetValue(name, out var value) && value.Length > 0 ? value : null;
        double Number(string name, double fallback) => Get(name) is { } v ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;
        var options = new SoakOptions(
            Get("gateway") ?? throw new ArgumentException("--gateway <path to the published SfAi.Api> is required."),
            Get("upstream") ?? throw new ArgumentException("--upstream <path to SfAi.Bench.Upstream.dll> is required."),
            (int)Number("streams", 1000),
            TimeSpan.FromMinutes(Number("minutes", 10)),
            TimeSpan.FromSeconds(Number("sample-seconds", 10)),
            TimeSpan.FromSeconds(Number("warmup-seconds", 120)),
            Number("tolerance", 10),
            Get("work") ?? Directory.CreateTempSubdirectory("sfai-soak-").FullName,
            Get("out"));
        if (options.Streams is < 1 or > 5000 || options.Duration <= TimeSpan.Zero || options.Duration > TimeSpan.FromHours(2))
        {
            throw new ArgumentException("--streams must be 1..5000 and --minutes at most 120: the soak is bounded.");
        }
        return options;
    }
}
