using System.Globalization;
using System.Text;

namespace SfAi.Bench.Soak;

/// <summary>
/// The soak's verdict. Memory: over the samples taken while all streams are held (after the warm-up, before the
/// deadline), the mean RSS of the last third may lie at most <see cref="SoakOptions.TolerancePercent"/> above the first
/// third's; the least-squares slope is shown alongside. Log: one <c>chat_completion</c> line per completed stream.
/// </summary>
internal sealed class SoakReport(SoakOptions options, SoakResult result)
{
    private IReadOnlyList<RssSample> Steady =>
        [.. result.Samples.Where(s => s.Seconds >= options.Warmup.TotalSeconds && s.Seconds <= options.Duration.TotalSeconds)];

    public double FirstThirdMiB => Third(first: true);

    public double LastThirdMiB => Third(first: false);

    public double GrowthPercent => FirstThirdMiB > 0 ? (LastThirdMiB / FirstThirdMiB - 1) * 100 : double.NaN;

    public bool MemoryFlat => Steady.Count >= 3 && GrowthPercent <= options.TolerancePercent;

    public bool NoLostLines => result.CompletionLines == result.Completed;

    public bool Passed => MemoryFlat && NoLostLines && result.Completed > 0;

    /// <summary>The least-squares slope of RSS over time across the steady samples, in MiB per minute.</summary>
    public double SlopeMiBPerMinute
    {
        get
        {
            var points = Steady;
            if (points.Count < 2)
            {
                return double.NaN;
            }
            var meanX = points.Average(p => p.Seconds);
            var meanY = points.Average(p => p.RssMiB);
            var covariance = points.Sum(p => (p.Seconds - meanX) * (p.RssMiB - meanY));
            var variance = points.Sum(p => (p.Seconds - meanX) * (p.Seconds - meanX));
            return variance == 0 ? 0 : covariance / variance * 60;
        }
    }

    private double Third(bool first)
    {
        var points = Steady;
        var size = points.Count / 3;
        if (size == 0)
        {
            return double.NaN;
        }
        return (first ? points.Take(size) : points.Skip(points.Count - size)).Average(p => p.RssMiB);
    }

    public string ToMarkdown()
    {
        var c = CultureInfo.InvariantCulture;
        var steady = Steady;
        var text = new StringBuilder();
        text.AppendLine(c, $"# Soak: {options.Streams} streams held for {options.Duration.TotalMinutes:0.#} min");
        text.AppendLine();
        text.AppendLine("| figure | value |");
        text.AppendLine("|---|---:|");
        text.AppendLine(c, $"| streams started / completed / failed | {result.Started} / {result.Completed} / {result.Failed} |");
        text.AppendLine(c, $"| `chat_completion` lines / `llm_error` lines | {result.CompletionLines} / {result.ErrorLines} |");
        text.AppendLine(c, $"| wall time (last streams included) | {result.Elapsed.TotalSeconds:0} s |");
        text.AppendLine(c, $"| RSS samples (every {options.SampleEvery.TotalSeconds:0} s) / steady (after {options.Warmup.TotalSeconds:0} s warm-up) | {result.Samples.Count} / {steady.Count} |");
        if (steady.Count > 0)
        {
            text.AppendLine(c, $"| steady RSS min / max MiB | {steady.Min(s => s.RssMiB):0.0} / {steady.Max(s => s.RssMiB):0.0} |");
        }
        text.AppendLine(c, $"| mean RSS first third / last third MiB | {FirstThirdMiB:0.0} / {LastThirdMiB:0.0} ({GrowthPercent:+0.0;-0.0} %) |");
        text.AppendLine(c, $"| RSS slope (least squares, steady samples) | {SlopeMiBPerMinute:+0.00;-0.00} MiB/min |");
        text.AppendLine(c, $"| memory flat (last third within {options.TolerancePercent:0.#} % of first) | {(MemoryFlat ? "yes" : "NO")} |");
        text.AppendLine(c, $"| no lost `chat_completion` line (lines = completed streams) | {(NoLostLines ? "yes" : "NO")} |");
        text.AppendLine();
        text.AppendLine("| s | RSS MiB | open | completed |");
        text.AppendLine("|---:|---:|---:|---:|");
        foreach (var sample in result.Samples)
        {
            text.AppendLine(c, $"| {sample.Seconds:0} | {sample.RssMiB:0.0} | {sample.Open} | {sample.Completed} |");
        }
        return text.ToString();
    }
}
