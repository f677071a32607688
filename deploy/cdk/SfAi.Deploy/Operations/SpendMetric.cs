using Amazon.CDK;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.Logs;
using Constructs;
using SfAi.Deploy.Compute;

namespace SfAi.Deploy.Operations;

/// <summary>
/// The environment's spend as one metric an alarm can watch: <c>SpendUsd</c> in <c>SfAi</c>, by <c>Environment</c>
/// alone. The gateway's <c>CostUsd</c> is per alias, and neither way of adding the aliases up serves an alarm:
/// CloudWatch refuses an alarm on a <c>SEARCH</c>, and an alarm on a Metrics Insights query sees only the last 3 hours.
/// So a metric filter adds up the <c>CostUsd</c> of the same EMF lines once more, without the alias.
/// </summary>
internal sealed class SpendMetric : Construct
{
    public const string MetricName = "SpendUsd";

    public SpendMetric(Construct scope, string environmentName, ILogGroup logGroup)
        : base(scope, "SpendMetric")
    {
        Filter = new MetricFilter(this, "Default", new MetricFilterProps
        {
            LogGroup = logGroup,
            // Only the EMF lines carry Environment: the chat_completion line states the same cost, which must count once.
            FilterPattern = FilterPattern.All(
                FilterPattern.StringValue("$.Environment", "=", environmentName),
                FilterPattern.NumberValue("$.CostUsd", ">=", 0)),
            MetricNamespace = GatewayEnvironment.MetricsNamespace,
            MetricName = MetricName,
            MetricValue = "$.CostUsd",
            Dimensions = new Dictionary<string, string> { ["Environment"] = "$.Environment" },
        });
        PerDay = new Metric(new MetricProps
        {
            Namespace = GatewayEnvironment.MetricsNamespace,
            MetricName = MetricName,
            DimensionsMap = new Dictionary<string, string> { ["Environment"] = environmentName },
            Statistic = "Sum",
            Period = Duration.Days(1),
        });
    }

    public MetricFilter Filter { get; }

    /// <summary>A day's spend; an alarm's window slides, so at each evaluation it is the last 24 hours'.</summary>
    public Metric PerDay { get; }
}
