using Amazon.CDK;
using Amazon.CDK.AWS.DynamoDB;
using Amazon.CDK.AWS.IAM;
using Constructs;
using Attribute = Amazon.CDK.AWS.DynamoDB.Attribute;

namespace SfAi.Deploy.Storage;

/// <summary>
/// The rate-limit counters that every instance of the gateway shares (<c>RATE_LIMIT_STORE=dynamodb</c>): one item per
/// counter and minute under <c>pk</c>, expired by TTL on <c>expiresAt</c>. The counters are worthless after their
/// minute, so the table goes with the stack.
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
}
