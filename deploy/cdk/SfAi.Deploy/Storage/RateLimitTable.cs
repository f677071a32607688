using Amazon.CDK;
using Amazon.CDK.AWS.DynamoDB;
using Amazon.CDK.AWS.IAM;
using Constructs;
using Attribute = Amazon.CDK.AWS.DynamoDB.Attribute;

namespace SfAi.Deploy.Storage;

/// <summary>
/// The counters that every instance of the gateway shares (<c>RATE_LIMIT_STORE=dynamodb</c>): the rate limits per
/// minute and the budgets' spend per UTC day and month (<c>budget:…</c>), one item per counter and window under
/// <c>pk</c>, expired by TTL on <c>expiresAt</c>. Every counter is worthless once its window has passed (the spend
/// history is the usage table's), so the table goes with the stack.
/// </summary>
internal sealed class RateLimitTable : Construct
{
    public RateLimitTable(Construct scope)
        : base(scope, "RateLimitTable")
    {
        Table = new Table(this, "Default", new TableProps
        {
            PartitionKey = new Attribute { Name = "pk", Type = AttributeType.STRING },
            BillingMode = BillingMode.PAY_PER_REQUEST,
            TimeToLiveAttribute = "expiresAt",
            RemovalPolicy = RemovalPolicy.DESTROY,
        });
    }

    public Table Table { get; }

    /// <summary>The gateway's one call: a conditional <c>UpdateItem</c> that counts and refuses atomically.</summary>
    public void GrantCounting(IRole role) => role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
    {
        Sid = "CountRateLimits",
        Actions = ["dynamodb:UpdateItem"],
        Resources = [Table.TableArn],
    }));

    /// <summary>A plain read of the budget counters, for <c>GET /v1/usage/budgets</c>.</summary>
    public void GrantBudgetReading(IRole role) => role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
    {
        Sid = "ReadBudgetCounters",
        Actions = ["dynamodb:GetItem"],
        Resources = [Table.TableArn],
    }));
}
