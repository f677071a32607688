using System.Text.Json;
using SfAi.Core.Json;
using SfAi.Core.Logging;

namespace SfAi.Api.Metrics;

/// <summary>
/// CloudWatch metrics as Embedded Metric Format lines on stdout, which Lambda ships to CloudWatch Logs and CloudWatch
/// turns into metrics (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html):
/// namespace <c>METRICS_NAMESPACE</c> (default <c>SfAi</c>), dimensions <c>Environment</c> and <c>Alias</c>;
/// <c>Requests</c>, <c>Errors</c>, <c>TokensIn</c>, <c>TokensOut</c>, <c>CostUsd</c>, <c>LatencyMs</c>, <c>TtftMs</c>;
/// <c>RateLimitStoreUnavailable</c> and <c>UsageLedgerUnavailable</c> by environment alone.
/// A metric whose value is unknown is left out of the line.
/// </summary>
internal sealed class EmfMetrics
{
    private readonly TextWriter _output;
    private readonly string _namespace;
    private readonly string _environment;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();

    public EmfMetrics(TextWriter output, string metricsNamespace, string environment, TimeProvider time)
    {
        _output = output;
        _namespace = metricsNamespace;
        _environment = environment;
        _time = time;
    }

    public void Completion(CompletionRecord record) => Write(record.Alias,
    [
        new("Requests", "Count", 1),
        new("Errors", "Count", 0),
        new("TokensIn", "Count", record.TokensIn),
        new("TokensOut", "Count", record.TokensOut),
        new("CostUsd", "None", record.CostUsd is { } cost ? (double)cost : null),
        new("LatencyMs", "Milliseconds", record.LatencyMs),
        new("TtftMs", "Milliseconds", record.TtftMs),
    ]);

    public void Error(LlmErrorRecord record) => Write(record.Alias ?? "(none)",
    [
        new("Requests", "Count", 1),
        new("Errors", "Count", 1),
        new("LatencyMs", "Milliseconds", record.LatencyMs),
    ]);

    /// <summary><c>RateLimitStoreUnavailable</c>, per environment only: calls that could not use the shared store.</summary>
    public void RateLimitStoreUnavailable(long missedCalls) => Write(null, [new("RateLimitStoreUnavailable", "Count", missedCalls)]);

    /// <summary><c>UsageLedgerUnavailable</c>, per environment only: usage rows that could not be written.</summary>
    public void UsageLedgerUnavailable(long lostRows) => Write(null, [new("UsageLedgerUnavailable", "Count", lostRows)]);

    private void Write(string? alias, Metric[] metrics)
    {
        var known = metrics.Where(metric => metric.Value is not null).ToArray();
        using var buffer = new MemoryStream(512);
        using (var writer = new Utf8JsonWriter(buffer, JsonWriting.Options))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("_aws");
            writer.WriteNumber("Timestamp", _time.GetUtcNow().ToUnixTimeMilliseconds());
            writer.WriteStartArray("CloudWatchMetrics");
            writer.WriteStartObject();
            writer.WriteString("Namespace", _namespace);
            writer.WriteStartArray("Dimensions");
            writer.WriteStartArray();
            writer.WriteStringValue("Environment");
            if (alias is not null)
            {
                writer.WriteStringValue("Alias");
            }
            writer.WriteEndArray();
            writer.WriteEndArray();
            writer.WriteStartArray("Metrics");
            foreach (var metric in known)
            {
                writer.WriteStartObject();
                writer.WriteString("Name", metric.Name);
                writer.WriteString("Unit", metric.Unit);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteString("Environment", _environment);
            if (alias is not null)
            {
                writer.WriteString("Alias", alias);
            }
            foreach (var metric in known)
            {
                writer.WriteNumber(metric.Name, metric.Value!.Value);
            }
            writer.WriteEndObject();
        }
        var line = System.Text.Encoding.UTF8.GetString(buffer.ToArray());
        lock (_gate)
        {
            _output.WriteLine(line);
            _output.Flush();
        }
    }

    private readonly record struct Metric(string Name, string Unit, double? Value);
}
