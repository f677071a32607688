using System.Text.Json;
using SfAi.Deploy.Tests.Support;

namespace SfAi.Deploy.Tests;

/// <summary>What the seed lacked: the dashboard over the gateway's EMF metrics, the alarms and the saved Logs Insights queries.</summary>
public sealed class OperationsTests(SynthesizedStacks stacks)
{
    private readonly StackTemplate _prod = stacks.Prod;

    [Fact]
    public void Dashboard_IsNamedAfterTheEnvironment() =>
        Assert.Equal("sfai-prod", _prod.Properties("AWS::CloudWatch::Dashboard").GetProperty("DashboardName").GetString());

    [Theory]
    [InlineData("Requests")]
    [InlineData("Errors")]
    [InlineData("TokensIn")]
    [InlineData("TokensOut")]
    [InlineData("CostUsd")]
    [InlineData("LatencyMs")]
    [InlineData("TtftMs")]
    public void Dashboard_GraphsEachEmfMetricPerAliasOfTheEnvironment(string metric) =>
        Assert.Contains(DashboardExpressions(), expression =>
            expression.StartsWith($"SEARCH('{{SfAi,Environment,Alias}} Environment=\"prod\" MetricName=\"{metric}\"'", StringComparison.Ordinal));

    [Fact]
    public void Dashboard_ShowsTheDaysSpendSummedOverEveryAlias()
    {
        var widget = DashboardBody().GetProperty("widgets").EnumerateArray()
            .Single(w => w.GetProperty("properties").GetProperty("title").GetString() == "Spend today (USD)").GetProperty("properties");
        Assert.Equal("singleValue", widget.GetProperty("view").GetString());
        var metric = Assert.Single(widget.GetProperty("metrics").EnumerateArray())[0];
        Assert.Equal("SUM(SEARCH('{SfAi,Environment,Alias} Environment=\"prod\" MetricName=\"CostUsd\"', 'Sum', 86400))", metric.GetProperty("expression").GetString());
        Assert.Equal(86400, metric.GetProperty("period").GetInt32());
    }

    [Fact]
    public void Dashboard_GraphsTheHttpApisStatusClasses()
    {
        var metrics = DashboardMetricNames("AWS/ApiGateway");
        Assert.Equal(["4xx", "5xx", "Count"], metrics.Order());
    }

    [Fact]
    public void Alarms_AreTheErrorRateTheP99LatencyAndTheThrottlesOfTheFunction() =>
        Assert.Equal(["sfai-prod-chat-throttles", "sfai-prod-error-rate", "sfai-prod-latency-p99"],
            _prod.Resources("AWS::CloudWatch::Alarm").Select(a => a.Value.GetProperty("Properties").GetProperty("AlarmName").GetString()).Order());

    [Fact]
    public void ErrorRateAlarm_DividesTheStagesServerErrorsByItsRequests()
    {
        var alarm = Alarm("sfai-prod-error-rate");
        var metrics = alarm.GetProperty("Metrics").EnumerateArray().ToList();
        Assert.Equal("IF(requests > 0, 100 * errors / requests, 0)", metrics.Single(m => m.TryGetProperty("Expression", out _)).GetProperty("Expression").GetString());
        Assert.Equal("Count", MetricStat(metrics, "requests").GetProperty("MetricName").GetString());
        Assert.Equal("5xx", MetricStat(metrics, "errors").GetProperty("MetricName").GetString());
        Assert.Equal(5, alarm.GetProperty("Threshold").GetDouble());
    }

    [Fact]
    public void LatencyAlarm_FiresOnAP99CloseToTheFunctionTimeout()
    {
        var alarm = Alarm("sfai-prod-latency-p99");
        Assert.Equal(("AWS/ApiGateway", "Latency", "p99"),
            (alarm.GetProperty("Namespace").GetString(), alarm.GetProperty("MetricName").GetString(), alarm.GetProperty("ExtendedStatistic").GetString()));
        Assert.InRange(alarm.GetProperty("Threshold").GetDouble(), 20_000, 29_999);
    }

    [Fact]
    public void ThrottleAlarm_WatchesTheChatFunction()
    {
        var alarm = Alarm("sfai-prod-chat-throttles");
        Assert.Equal(("AWS/Lambda", "Throttles"), (alarm.GetProperty("Namespace").GetString(), alarm.GetProperty("MetricName").GetString()));
        Assert.Equal("ChatCompletionsFunction57B9FADB", alarm.GetProperty("Dimensions")[0].GetProperty("Value").ReferencedId());
    }

    [Fact]
    public void Alarms_NotifyNobodyWithoutAnAlarmEmail()
    {
        Assert.Empty(_prod.Resources("AWS::SNS::Topic"));
        Assert.All(_prod.Resources("AWS::CloudWatch::Alarm"), alarm => Assert.False(alarm.Value.GetProperty("Properties").TryGetProperty("AlarmActions", out _)));
    }

    [Fact]
    public void DailySpend_HasNoAlarmAndNoMetricFilterWithoutDailySpendAlarmUsd()
    {
        Assert.Empty(_prod.Resources("AWS::Logs::MetricFilter"));
        Assert.DoesNotContain(_prod.Resources("AWS::CloudWatch::Alarm"), alarm => alarm.Key.Contains("DailySpend", StringComparison.Ordinal));
    }

    [Fact]
    public void DailySpendAlarm_FiresWhenTheDaysSpendReachesTheGivenDollars()
    {
        var alarm = StagingAlarm("sfai-staging-daily-spend");
        Assert.Equal(40, alarm.GetProperty("Threshold").GetDouble());
        Assert.Equal("GreaterThanOrEqualToThreshold", alarm.GetProperty("ComparisonOperator").GetString());
        Assert.Equal(1, alarm.GetProperty("EvaluationPeriods").GetInt32());
        Assert.Equal("notBreaching", alarm.GetProperty("TreatMissingData").GetString());
    }

    [Fact]
    public void DailySpendAlarm_SumsTheEnvironmentsSpendOverADay()
    {
        var alarm = StagingAlarm("sfai-staging-daily-spend");
        Assert.Equal(("SfAi", "SpendUsd", "Sum", 86400),
            (alarm.GetProperty("Namespace").GetString(), alarm.GetProperty("MetricName").GetString(), alarm.GetProperty("Statistic").GetString(), alarm.GetProperty("Period").GetInt32()));
        var dimension = Assert.Single(alarm.GetProperty("Dimensions").EnumerateArray());
        Assert.Equal(("Environment", "staging"), (dimension.GetProperty("Name").GetString(), dimension.GetProperty("Value").GetString()));
    }

    [Fact]
    public void DailySpendAlarm_UsesNoSearchWhichCloudWatchRefusesInAnAlarm() =>
        Assert.DoesNotContain("SEARCH", StagingAlarm("sfai-staging-daily-spend").GetRawText(), StringComparison.Ordinal);

    [Fact]
    public void DailySpendAlarm_IsMailedLikeTheOthers()
    {
        var topic = Assert.Single(stacks.Staging.Resources("AWS::SNS::Topic")).Key;
        Assert.Equal(topic, Assert.Single(StagingAlarm("sfai-staging-daily-spend").GetProperty("AlarmActions").EnumerateArray()).GetProperty("Ref").GetString());
    }

    [Fact]
    public void SpendMetric_AddsUpTheCostOfTheGatewaysMetricLinesByEnvironment()
    {
        var filter = stacks.Staging.Properties("AWS::Logs::MetricFilter", "SpendMetric");
        Assert.Equal("{ ($.Environment = \"staging\") && ($.CostUsd >= 0) }", filter.GetProperty("FilterPattern").GetString());
        Assert.Equal("ChatLambdaLogGroup176FAFAE", filter.GetProperty("LogGroupName").ReferencedId());
        var transformation = Assert.Single(filter.GetProperty("MetricTransformations").EnumerateArray());
        Assert.Equal(("SfAi", "SpendUsd", "$.CostUsd"),
            (transformation.GetProperty("MetricNamespace").GetString(), transformation.GetProperty("MetricName").GetString(), transformation.GetProperty("MetricValue").GetString()));
        var dimension = Assert.Single(transformation.GetProperty("Dimensions").EnumerateArray());
        Assert.Equal(("Environment", "$.Environment"), (dimension.GetProperty("Key").GetString(), dimension.GetProperty("Value").GetString()));
    }

    [Fact]
    public void CostQuery_SumsCostAndTokensOfChatCompletionsPerDayKeyAndAlias()
    {
        var query = Query("sfai-prod/cost-per-key-alias-day");
        Assert.Contains("filter event = \"chat_completion\"", query, StringComparison.Ordinal);
        Assert.Contains("sum(costUsd) as costUsd, sum(tokensIn) as tokensIn, sum(tokensOut) as tokensOut", query, StringComparison.Ordinal);
        Assert.Contains("by bin(1d) as day, keyName, alias", query, StringComparison.Ordinal);
    }

    [Fact]
    public void ErrorQuery_ListsTheTypeStatusAndMessageOfLlmErrors()
    {
        var query = Query("sfai-prod/llm-errors");
        Assert.StartsWith("fields @timestamp, errorType, status, message", query, StringComparison.Ordinal);
        Assert.Contains("filter event = \"llm_error\"", query, StringComparison.Ordinal);
    }

    [Fact]
    public void Queries_ReadTheChatLambdaLogGroup() =>
        Assert.All(_prod.Resources("AWS::Logs::QueryDefinition"), query =>
            Assert.Equal("ChatLambdaLogGroup176FAFAE", Assert.Single(query.Value.GetProperty("Properties").GetProperty("LogGroupNames").EnumerateArray()).ReferencedId()));

    private JsonElement Alarm(string name) => _prod.Resources("AWS::CloudWatch::Alarm").Select(a => a.Value.GetProperty("Properties"))
        .Single(a => a.GetProperty("AlarmName").GetString() == name);

    private JsonElement StagingAlarm(string name) => stacks.Staging.Resources("AWS::CloudWatch::Alarm").Select(a => a.Value.GetProperty("Properties"))
        .Single(a => a.GetProperty("AlarmName").GetString() == name);

    private static JsonElement MetricStat(List<JsonElement> metrics, string id) =>
        metrics.Single(m => m.GetProperty("Id").GetString() == id).GetProperty("MetricStat").GetProperty("Metric");

    private string Query(string name) => _prod.Resources("AWS::Logs::QueryDefinition").Select(q => q.Value.GetProperty("Properties"))
        .Single(q => q.GetProperty("Name").GetString() == name).GetProperty("QueryString").GetString()!;

    /// <summary>The dashboard body, with the references it joins replaced by placeholders, as JSON.</summary>
    private JsonElement DashboardBody()
    {
        var parts = _prod.Properties("AWS::CloudWatch::Dashboard").GetProperty("DashboardBody").GetProperty("Fn::Join")[1];
        var text = string.Concat(parts.EnumerateArray().Select(part => part.ValueKind == JsonValueKind.String ? part.GetString() : "REF"));
        using var body = JsonDocument.Parse(text);
        return body.RootElement.Clone();
    }

    private IEnumerable<JsonElement> DashboardMetricRows() =>
        DashboardBody().GetProperty("widgets").EnumerateArray()
            .SelectMany(widget => widget.GetProperty("properties").GetProperty("metrics").EnumerateArray());

    private List<string> DashboardExpressions() =>
        [.. DashboardMetricRows().Select(row => row[0]).Where(first => first.ValueKind == JsonValueKind.Object).Select(first => first.GetProperty("expression").GetString()!)];

    private List<string> DashboardMetricNames(string metricNamespace) =>
        [.. DashboardMetricRows().Where(row => row[0].ValueKind == JsonValueKind.String && row[0].GetString() == metricNamespace).Select(row => row[1].GetString()!)];
}
