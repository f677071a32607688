using System.Globalization;
using Amazon.CDK;
using Amazon.CDK.AWS.Apigatewayv2;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.CloudWatch.Actions;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.SNS;
using Amazon.CDK.AWS.SNS.Subscriptions;
using Constructs;

namespace SfAi.Deploy.Operations;

/// <summary>
/// Alarms on what users feel: the share of requests that end in a server error (5xx: upstream failures, timeouts,
/// the gateway's own faults; a client's 4xx does not page anyone), throttling of a gateway function, and a p99
/// latency close to the 30 s timeout. They read API Gateway's and Lambda's metrics, which exist for any gateway
/// version. With <c>dailySpendAlarmUsd</c>, one more on what the gateway spent in a day, every key and alias
/// together (<see cref="SpendMetric"/>): a budget refuses callers but tells nobody. With <c>alarmEmail</c>, an SNS
/// topic mails every state change to ALARM.
/// </summary>
internal sealed class GatewayAlarms : Construct
{
    public const double ErrorRatePercent = 5;
    public const double LatencyP99Milliseconds = 25_000;

    public GatewayAlarms(
        Construct scope,
        string environmentName,
        IHttpStage stage,
        IReadOnlyList<(string Name, IFunction Function)> functions,
        string? alarmEmail,
        (SpendMetric Spend, decimal LimitUsd)? dailySpend = null)
        : base(scope, "Alarms")
    {
        var period = new MetricOptions { Period = GatewayMetrics.Period, Statistic = "Sum" };
        var errorRate = new MathExpression(new MathExpressionProps
        {
            Expression = "IF(requests > 0, 100 * errors / requests, 0)",
            UsingMetrics = new Dictionary<string, IMetric>
            {
                ["requests"] = stage.MetricCount(period),
                ["errors"] = stage.MetricServerError(period),
            },
            Label = "5xx (% of requests)",
            Period = GatewayMetrics.Period,
        });
        var alarms = new List<Alarm>
        {
            errorRate.CreateAlarm(this, "ErrorRate", new CreateAlarmOptions
            {
                AlarmName = $"sfai-{environmentName}-error-rate",
                AlarmDescription = $"More than {ErrorRatePercent}% of the requests to the SfAi gateway ({environmentName}) ended in a 5xx, three 5-minute periods running. Look at the llm_error events (saved query sfai-{environmentName}/llm-errors).",
                Threshold = ErrorRatePercent,
                EvaluationPeriods = 3,
                ComparisonOperator = ComparisonOperator.GREATER_THAN_THRESHOLD,
                TreatMissingData = TreatMissingData.NOT_BREACHING,
            }),
            stage.MetricLatency(new MetricOptions { Period = GatewayMetrics.Period, Statistic = "p99" }).CreateAlarm(this, "LatencyP99", new CreateAlarmOptions
            {
                AlarmName = $"sfai-{environmentName}-latency-p99",
                AlarmDescription = $"The p99 latency of the SfAi gateway ({environmentName}) passed {LatencyP99Milliseconds / 1000} s (the function stops at 30 s), three 5-minute periods running.",
                Threshold = LatencyP99Milliseconds,
                EvaluationPeriods = 3,
                ComparisonOperator = ComparisonOperator.GREATER_THAN_THRESHOLD,
                TreatMissingData = TreatMissingData.NOT_BREACHING,
            }),
        };
        foreach (var (name, function) in functions)
        {
            alarms.Add(function.MetricThrottles(period).CreateAlarm(this, $"{name}Throttles", new CreateAlarmOptions
            {
                AlarmName = $"sfai-{environmentName}-{name.ToLowerInvariant()}-throttles",
                AlarmDescription = $"Lambda throttled the SfAi gateway's {name} function ({environmentName}): the account's or the function's concurrency is exhausted.",
                Threshold = 0,
                EvaluationPeriods = 1,
                ComparisonOperator = ComparisonOperator.GREATER_THAN_THRESHOLD,
                TreatMissingData = TreatMissingData.NOT_BREACHING,
            }));
        }

        if (dailySpend is { } daily)
        {
            var limit = daily.LimitUsd.ToString(CultureInfo.InvariantCulture);
            alarms.Add(daily.Spend.PerDay.CreateAlarm(this, "DailySpend", new CreateAlarmOptions
            {
                AlarmName = $"sfai-{environmentName}-daily-spend",
                AlarmDescription = $"The SfAi gateway ({environmentName}) spent ${limit} or more in the last 24 hours, every key and alias together. Where it went: GET /v1/usage?group_by=key, or the saved query sfai-{environmentName}/cost-per-key-alias-day.",
                Threshold = (double)daily.LimitUsd,
                EvaluationPeriods = 1,
                ComparisonOperator = ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                TreatMissingData = TreatMissingData.NOT_BREACHING,
            }));
        }

        if (alarmEmail is not null)
        {
            Topic = new Topic(this, "Topic", new TopicProps { DisplayName = $"SfAi {environmentName} alarms" });
            Topic.AddSubscription(new EmailSubscription(alarmEmail));
            foreach (var alarm in alarms)
            {
                alarm.AddAlarmAction(new SnsAction(Topic));
            }
        }
        All = alarms;
    }

    public IReadOnlyList<Alarm> All { get; }

    public Topic? Topic { get; }
}
