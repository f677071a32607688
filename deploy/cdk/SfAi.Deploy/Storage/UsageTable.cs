using Amazon.CDK;
using Amazon.CDK.AWS.DynamoDB;
using Amazon.CDK.AWS.IAM;
using Constructs;
using Attribute = Amazon.CDK.AWS.DynamoDB.Attribute;

namespace SfAi.Deploy.Storage;

/// <summary>
/// The usage ledger on AWS (<c>USAGE_STORE=dynamodb</c>): one partition per UTC day (<c>pk</c> <c>day#2026-12-05</c>)
/// holding a counter item per key, user, alias and model and the day's total (<c>sk</c>), so a day reads in one query.
/// It is the only spend history the gateway keeps, so it outlives the stack and can be restored to any second of the
/// last 35 days; the gateway's <c>expiresAt</c>, about 400 days out, is what trims it.
/// </summary>
internal sealed class UsageTable : Construct
{
    public UsageTable(Construct scope)
        : base(scope, "UsageTable")
    {
        Table = new Table(this, "Default", new TableProps
        {
            PartitionKey = new Attribute { Name = "pk", Type = AttributeType.STRING },
            SortKey = new Attribute { Name = "sk", Type = AttributeType.STRING },
            BillingMode = BillingMode.PAY_PER_REQUEST,
            PointInTimeRecovery = true,
            TimeToLiveAttribute = "expiresAt",
            RemovalPolicy = RemovalPolicy.RETAIN,
        });
    }

    public Table Table { get; }

    /// <summary>The gateway's two calls: <c>UpdateItem</c> adds to a day's counters, <c>Query</c> reads a day back.</summary>
    public void GrantRecordingAndReading(IRole role)
    {
        role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "RecordUsage",
            Actions = ["dynamodb:UpdateItem"],
            Resources = [Table.TableArn],
        }));
        role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "ReadUsage",
            Actions = ["dynamodb:Query"],
            Resources = [Table.TableArn],
        }));
    }
}
