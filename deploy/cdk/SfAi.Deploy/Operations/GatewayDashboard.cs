using Amazon.CDK.AWS.Apigatewayv2;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.Lambda;
using Constructs;

namespace SfAi.Deploy.Operations;

/// <summary>
/// One dashboard per environment (<c>sfai-&lt;env&gt;</c>): requests, errors, tokens, cost and latency per alias from
/// the gateway's EMF metrics and the day's spend over every alias, then what API Gateway and Lambda see (status
/// classes, throttles, concurrency).
/// </summary>
internal sealed class GatewayDashboard : Construct
{
    public GatewayDashboard(Construct scope, string environmentName, IHttpStage stage, IReadOnlyList<IFunction> functions)
        : base(scope, "Dashboard")
    {
        IMetric PerAlias(string metric, string statistic) => GatewayMetrics.PerAlias(environmentName, metric, statistic);
        GraphWidget Graph(string title, IMetric[] left, IMetric[]? right = null) => new(new GraphWidgetProps
        {
            Title = title,
            Left = left,
            Right = right,
            Width = 12,
            Height = 6,
        });

        Dashboard = new Dashboard(this, "Default", new DashboardProps { DashboardName = $"sfai-{environmentName}" });
        Dashboard.AddWidgets(
            Graph("Requests per alias", [PerAlias("Requests", "Sum")]),
            Graph("Errors per alias (llm_error)", [PerAlias("Errors", "Sum")]));
        Dashboard.AddWidgets(
            Graph("Tokens in (left) and out (right) per alias", [PerAlias("TokensIn", "Sum")], [PerAlias("TokensOut", "Sum")]),
            Graph("Cost per alias (USD)", [PerAlias("CostUsd", "Sum")]));
        Dashboard.AddWidgets(new SingleValueWidget(new SingleValueWidgetProps
        {
            Title = "Spend today (USD)",
            Metrics = [GatewayMetrics.SumPerDay(environmentName, "CostUsd", "Every alias")],
            FullPrecision = true,
            Width = 12,
            Height = 3,
        }));
        Dashboard.AddWidgets(
            Graph("Latency p99 per alias (ms)", [PerAlias("LatencyMs", "p99")]),
            Graph("Time to first token p50 per alias (ms)", [PerAlias("TtftMs", "p50")]));
        Dashboard.AddWidgets(
            Graph("HTTP API: requests, 4xx, 5xx", [
                stage.MetricCount(new MetricOptions { Period = GatewayMetrics.Period, Statistic = "Sum", Label = "Requests" }),
                stage.MetricClientError(new MetricOptions { Period = GatewayMetrics.Period, Statistic = "Sum", Label = "4xx" }),
                stage.MetricServerError(new MetricOptions { Period = GatewayMetrics.Period, Statistic = "Sum", Label = "5xx" }),
            ]),
            Graph("Lambda: throttles (left), concurrency (right)",
                [.. functions.Select(f => f.MetricThrottles(new MetricOptions { Period = GatewayMetrics.Period, Statistic = "Sum" }))],
                [.. functions.Select(f => f.Metric("ConcurrentExecutions", new MetricOptions { Period = GatewayMetrics.Period, Statistic = "Maximum" }))]));
    }

    public Dashboard Dashboard { get; }
}
