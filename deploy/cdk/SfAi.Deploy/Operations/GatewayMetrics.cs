using Amazon.CDK;
using Amazon.CDK.AWS.CloudWatch;
using SfAi.Deploy.Compute;

namespace SfAi.Deploy.Operations;

/// <summary>
/// The gateway's EMF metrics (docs/lambda.md): namespace <c>SfAi</c>, dimensions <c>Environment</c> and <c>Alias</c>.
/// Every line carries both dimensions, so a graph per alias is a <c>SEARCH</c> over the environment's aliases; a new
/// alias appears on the dashboard without a deploy.
/// </summary>
internal static class GatewayMetrics
{
    public static readonly Duration Period = Duration.Minutes(5);

    /// <summary>One line per alias of <paramref name="metricName"/> in the environment.</summary>
    public static IMetric PerAlias(string environmentName, string metricName, string statistic) => new MathExpression(new MathExpressionProps
    {
        Expression = Search(environmentName, metricName, statistic, Period),
        Label = "",
        Period = Period,
    });

    /// <summary>
    /// The sum over every alias of <paramref name="metricName"/> in the environment, per day. For dashboards only:
    /// CloudWatch refuses an alarm on a <c>SEARCH</c> (<see cref="SpendMetric"/>).
    /// </summary>
    public static IMetric SumPerDay(string environmentName, string metricName, string label) => new MathExpression(new MathExpressionProps
    {
        Expression = $"SUM({Search(environmentName, metricName, "Sum", Duration.Days(1))})",
        Label = label,
        Period = Duration.Days(1),
    });

    private static string Search(string environmentName, string metricName, string statistic, Duration period) =>
        $"SEARCH('{{{GatewayEnvironment.MetricsNamespace},Environment,Alias}} Environment=\"{environmentName}\" MetricName=\"{metricName}\"', '{statistic}', {period.ToSeconds()})";
}
