using Amazon.CDK.AWS.Logs;
using Constructs;

namespace SfAi.Deploy.Operations;

/// <summary>
/// Saved CloudWatch Logs Insights queries over the gateway's JSON log lines, whose fields are top level
/// (README "Logs"): cost and tokens per key, alias and day from <c>chat_completion</c>, and the latest
/// <c>llm_error</c> events. Listed under <c>sfai-&lt;env&gt;/</c> in the Logs Insights console.
/// </summary>
internal sealed class GatewayLogQueries : Construct
{
    public GatewayLogQueries(Construct scope, string environmentName, ILogGroup logGroup)
        : base(scope, "LogQueries")
    {
        CostPerKeyAliasDay = new QueryDefinition(this, "CostPerKeyAliasDay", new QueryDefinitionProps
        {
            QueryDefinitionName = $"sfai-{environmentName}/cost-per-key-alias-day",
            LogGroups = [logGroup],
            QueryString = new QueryString(new QueryStringProps
            {
                FilterStatements = ["event = \"chat_completion\""],
                Stats = "sum(costUsd) as costUsd, sum(tokensIn) as tokensIn, sum(tokensOut) as tokensOut, count(*) as requests, avg(latencyMs) as avgLatencyMs by bin(1d) as day, keyName, alias",
                Sort = "costUsd desc",
            }),
        });
        LlmErrors = new QueryDefinition(this, "LlmErrors", new QueryDefinitionProps
        {
            QueryDefinitionName = $"sfai-{environmentName}/llm-errors",
            LogGroups = [logGroup],
            QueryString = new QueryString(new QueryStringProps
            {
                Fields = ["@timestamp", "errorType", "status", "message", "alias", "provider", "keyName", "requestId"],
                FilterStatements = ["event = \"llm_error\""],
                Sort = "@timestamp desc",
                Limit = 200,
            }),
        });
    }

    public QueryDefinition CostPerKeyAliasDay { get; }

    public QueryDefinition LlmErrors { get; }
}
