using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using SfAi.Api.Metrics;
using SfAi.Core.Logging;

namespace SfAi.Api.Tests.Metrics;

/// <summary>
/// EMF lines against the specification's required structure
/// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html).
/// </summary>
public sealed class EmfMetricsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private static readonly CompletionRecord Completion = new()
    {
        RequestId = "req_1", Alias = "backend", AnsweredBy = "backend", Provider = "anthropic", UpstreamModel = "claude-sonnet-4-5",
        Stream = true, Status = 200, LatencyMs = 812.5, TtftMs = 230.25, LatestUserMessageLength = 5,
        TokensIn = 1300, TokensOut = 50, CachedTokensIn = 1000, CostUsd = 0.0021m, TokensEstimated = false, KeyName = "alice",
    };

    private static JsonElement WriteOne(Action<EmfMetrics> write)
    {
        using var output = new StringWriter();
        write(new EmfMetrics(output, "SfAi", "prod", new FakeTimeProvider(Now)));
        var line = Assert.Single(output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        return JsonDocument.Parse(line).RootElement;
    }

    private static void AssertFollowsTheSpecification(JsonElement line)
    {
        var aws = line.GetProperty("_aws");
        Assert.Equal(JsonValueKind.Number, aws.GetProperty("Timestamp").ValueKind);
        var directives = aws.GetProperty("CloudWatchMetrics");
        Assert.Equal(JsonValueKind.Array, directives.ValueKind);
        foreach (var directive in directives.EnumerateArray())
        {
            Assert.False(string.IsNullOrEmpty(directive.GetProperty("Namespace").GetString()));
            foreach (var set in directive.GetProperty("Dimensions").EnumerateArray())
            {
                Assert.InRange(set.GetArrayLength(), 1, 30);
                foreach (var dimension in set.EnumerateArray())
                {
                    Assert.Equal(JsonValueKind.String, line.GetProperty(dimension.GetString()!).ValueKind);
                }
            }
            var metrics = directive.GetProperty("Metrics");
            Assert.InRange(metrics.GetArrayLength(), 1, 100);
            foreach (var metric in metrics.EnumerateArray())
            {
                var name = metric.GetProperty("Name").GetString()!;
                Assert.Contains(metric.GetProperty("Unit").GetString(), new[] { "Count", "Milliseconds", "None" });
                Assert.Equal(JsonValueKind.Number, line.GetProperty(name).ValueKind);
            }
        }
    }

    [Fact]
    public void Writes_a_completion_line_that_follows_the_specification()
    {
        var line = WriteOne(metrics => metrics.Completion(Completion));

        AssertFollowsTheSpecification(line);
        Assert.Equal(Now.ToUnixTimeMilliseconds(), line.GetProperty("_aws").GetProperty("Timestamp").GetInt64());
        Assert.Equal("SfAi", line.GetProperty("_aws").GetProperty("CloudWatchMetrics")[0].GetProperty("Namespace").GetString());
    }

    [Fact]
    public void Carries_the_completions_figures_by_environment_and_alias()
    {
        var line = WriteOne(metrics => metrics.Completion(Completion));

        Assert.Equal("prod", line.GetProperty("Environment").GetString());
        Assert.Equal("backend", line.GetProperty("Alias").GetString());
        Assert.Equal(1, line.GetProperty("Requests").GetInt32());
        Assert.Equal(0, line.GetProperty("Errors").GetInt32());
        Assert.Equal(1300, line.GetProperty("TokensIn").GetInt32());
        Assert.Equal(50, line.GetProperty("TokensOut").GetInt32());
        Assert.Equal(0.0021, line.GetProperty("CostUsd").GetDouble(), 9);
        Assert.Equal(812.5, line.GetProperty("LatencyMs").GetDouble());
        Assert.Equal(230.25, line.GetProperty("TtftMs").GetDouble());
    }

    [Fact]
    public void Leaves_out_metrics_whose_value_is_unknown()
    {
        var line = WriteOne(metrics => metrics.Completion(Completion with { TtftMs = null, CostUsd = null }));

        AssertFollowsTheSpecification(line);
        Assert.False(line.TryGetProperty("TtftMs", out _));
        Assert.False(line.TryGetProperty("CostUsd", out _));
        Assert.DoesNotContain(line.GetProperty("_aws").GetProperty("CloudWatchMetrics")[0].GetProperty("Metrics").EnumerateArray(),
            metric => metric.GetProperty("Name").GetString() is "TtftMs" or "CostUsd");
    }

    [Fact]
    public void Counts_a_failure_as_a_request_and_an_error()
    {
        var line = WriteOne(metrics => metrics.Error(new LlmErrorRecord
        {
            RequestId = "req_2", ErrorType = "timeout", Status = 504, Message = "slow", Alias = "frontend", LatencyMs = 60000, KeyName = "anonymous",
        }));

        AssertFollowsTheSpecification(line);
        Assert.Equal("frontend", line.GetProperty("Alias").GetString());
        Assert.Equal(1, line.GetProperty("Requests").GetInt32());
        Assert.Equal(1, line.GetProperty("Errors").GetInt32());
    }
}
