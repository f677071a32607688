using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using SfAi.Api.Metrics;
using SfAi.Core.Logging;

namespace SfAi.Api.Tests.Aws;

/// <summary>
/// EMF lines checked against every rule of the specification that a line can break
/// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html):
/// no member beyond those defined in the objects the specification defines, an integer millisecond timestamp, at most 30
/// dimension keys per set and 100 metrics per directive, dimension targets strings of at most 1024 characters, metric
/// targets numbers, units from CloudWatch's list. Plus the figures of an error line, and whole lines under concurrency.
/// </summary>
public sealed class EmfMetricsSpecificationTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, 125, TimeSpan.Zero);

    private static readonly string[] CloudWatchUnits =
    [
        "Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes", "Gigabytes", "Terabytes", "Bits",
        "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent", "Count", "Bytes/Second", "Kilobytes/Second",
        "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second", "Bits/Second", "Kilobits/Second", "Megabits/Second",
        "Gigabits/Second", "Terabits/Second", "Count/Second", "None",
    ];

    private static readonly CompletionRecord Completion = new()
    {
        RequestId = "req_1", Alias = "frontend", AnsweredBy = "frontend", Provider = "openai", UpstreamModel = "gpt-4o-mini",
        Stream = false, Status = 200, LatencyMs = 412.75, LatestUserMessageLength = 5,
        TokensIn = 12, TokensOut = 7, CachedTokensIn = 0, CostUsd = 0.000006m, TokensEstimated = false, KeyName = "alice",
    };

    private static readonly LlmErrorRecord Failure = new()
    {
        RequestId = "req_2", ErrorType = "upstream_error", Status = 502, Message = "down", Alias = "backend", LatencyMs = 31.5, KeyName = "bob",
    };

    private static JsonElement[] Lines(string output) =>
        [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement)];

    private static JsonElement WriteOne(Action<EmfMetrics> write)
    {
        using var output = new StringWriter();
        write(new EmfMetrics(output, "SfAi", "staging", new FakeTimeProvider(Now)));
        return Assert.Single(Lines(output.ToString()));
    }

    private static string[] MetricNames(JsonElement line) =>
        [.. line.GetProperty("_aws").GetProperty("CloudWatchMetrics")[0].GetProperty("Metrics").EnumerateArray()
            .Select(metric => metric.GetProperty("Name").GetString()!)];

    private static void AssertOnlyMembers(JsonElement element, params string[] allowed) =>
        Assert.All(element.EnumerateObject(), member => Assert.Contains(member.Name, allowed));

    private static void AssertValidEmf(JsonElement line)
    {
        var aws = line.GetProperty("_aws");
        AssertOnlyMembers(aws, "Timestamp", "CloudWatchMetrics");
        Assert.True(aws.GetProperty("Timestamp").TryGetInt64(out _), "Timestamp must be an integer of milliseconds");
        var directives = aws.GetProperty("CloudWatchMetrics");
        Assert.NotEqual(0, directives.GetArrayLength());
        foreach (var directive in directives.EnumerateArray())
        {
            AssertOnlyMembers(directive, "Namespace", "Dimensions", "Metrics");
            Assert.InRange(directive.GetProperty("Namespace").GetString()!.Length, 1, 1024);
            var dimensionSets = directive.GetProperty("Dimensions");
            Assert.NotEqual(0, dimensionSets.GetArrayLength());
            foreach (var set in dimensionSets.EnumerateArray())
            {
                Assert.InRange(set.GetArrayLength(), 0, 30);
                foreach (var dimension in set.EnumerateArray())
                {
                    var target = line.GetProperty(dimension.GetString()!);
                    Assert.Equal(JsonValueKind.String, target.ValueKind);
                    Assert.InRange(target.GetString()!.Length, 1, 1024);
                }
            }
            var metrics = directive.GetProperty("Metrics");
            Assert.InRange(metrics.GetArrayLength(), 0, 100);
            foreach (var metric in metrics.EnumerateArray())
            {
                AssertOnlyMembers(metric, "Name", "Unit", "StorageResolution");
                Assert.Contains(metric.GetProperty("Unit").GetString(), CloudWatchUnits);
                Assert.Equal(JsonValueKind.Number, line.GetProperty(metric.GetProperty("Name").GetString()!).ValueKind);
            }
        }
    }

    [Fact]
    public void Writes_a_completion_line_that_breaks_no_rule_of_the_specification()
    {
        AssertValidEmf(WriteOne(metrics => metrics.Completion(Completion)));
    }

    [Fact]
    public void Writes_an_error_line_that_breaks_no_rule_of_the_specification()
    {
        AssertValidEmf(WriteOne(metrics => metrics.Error(Failure)));
    }

    [Fact]
    public void Stamps_the_line_with_the_clocks_time_in_epoch_milliseconds()
    {
        var line = WriteOne(metrics => metrics.Completion(Completion));

        Assert.Equal(1_795_867_200_125, line.GetProperty("_aws").GetProperty("Timestamp").GetInt64());
    }

    [Fact]
    public void Declares_one_dimension_set_of_environment_and_alias_under_the_configured_namespace()
    {
        using var output = new StringWriter();
        new EmfMetrics(output, "SfAi/Gateway", "staging", new FakeTimeProvider(Now)).Completion(Completion);
        var directive = Assert.Single(Lines(output.ToString())).GetProperty("_aws").GetProperty("CloudWatchMetrics")[0];

        Assert.Equal("SfAi/Gateway", directive.GetProperty("Namespace").GetString());
        Assert.Equal("""[["Environment","Alias"]]""", directive.GetProperty("Dimensions").GetRawText());
    }

    [Fact]
    public void Gives_each_metric_its_unit()
    {
        var line = WriteOne(metrics => metrics.Completion(Completion with { TtftMs = 90 }));
        var units = line.GetProperty("_aws").GetProperty("CloudWatchMetrics")[0].GetProperty("Metrics").EnumerateArray()
            .ToDictionary(metric => metric.GetProperty("Name").GetString()!, metric => metric.GetProperty("Unit").GetString());

        Assert.Equal(new Dictionary<string, string?>
        {
            ["Requests"] = "Count", ["Errors"] = "Count", ["TokensIn"] = "Count", ["TokensOut"] = "Count",
            ["CostUsd"] = "None", ["LatencyMs"] = "Milliseconds", ["TtftMs"] = "Milliseconds",
        }, units);
    }

    [Fact]
    public void Leaves_time_to_first_token_out_of_a_non_streamed_completion()
    {
        var line = WriteOne(metrics => metrics.Completion(Completion));

        Assert.DoesNotContain("TtftMs", MetricNames(line));
        Assert.False(line.TryGetProperty("TtftMs", out _));
    }

    [Fact]
    public void Carries_an_errors_figures_by_environment_and_alias_and_nothing_it_does_not_know()
    {
        var line = WriteOne(metrics => metrics.Error(Failure));

        Assert.Equal(["Requests", "Errors", "LatencyMs"], MetricNames(line));
        Assert.Equal("staging", line.GetProperty("Environment").GetString());
        Assert.Equal("backend", line.GetProperty("Alias").GetString());
        Assert.Equal(1, line.GetProperty("Requests").GetInt32());
        Assert.Equal(1, line.GetProperty("Errors").GetInt32());
        Assert.Equal(31.5, line.GetProperty("LatencyMs").GetDouble());
    }

    [Fact]
    public void Files_an_error_before_any_alias_was_resolved_under_a_placeholder_alias()
    {
        var line = WriteOne(metrics => metrics.Error(Failure with { Alias = null, ErrorType = "model_not_found", Status = 404 }));

        AssertValidEmf(line);
        Assert.Equal("(none)", line.GetProperty("Alias").GetString());
    }

    [Fact]
    public void Writes_whole_lines_when_many_requests_finish_at_once()
    {
        using var output = new StringWriter();
        var metrics = new EmfMetrics(output, "SfAi", "staging", new FakeTimeProvider(Now));

        Parallel.For(0, 400, i =>
        {
            if (i % 2 == 0)
            {
                metrics.Completion(Completion with { Alias = $"alias-{i}" });
            }
            else
            {
                metrics.Error(Failure with { Alias = $"alias-{i}" });
            }
        });

        var lines = Lines(output.ToString());
        Assert.Equal(400, lines.Length);
        Assert.Equal(400, lines.Select(line => line.GetProperty("Alias").GetString()).Distinct().Count());
    }

    [Fact]
    public void Flushes_the_output_after_each_line()
    {
        using var output = new FlushRecordingWriter();
        var metrics = new EmfMetrics(output, "SfAi", "staging", new FakeTimeProvider(Now));

        metrics.Completion(Completion);
        metrics.Error(Failure);

        Assert.Equal([1, 2], output.LinesAtEachFlush);
    }

    private sealed class FlushRecordingWriter : StringWriter
    {
        public List<int> LinesAtEachFlush { get; } = [];

        public override void Flush()
        {
            LinesAtEachFlush.Add(ToString().Count(c => c == '\n'));
            base.Flush();
        }
    }
}
