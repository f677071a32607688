using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Logs;
using Constructs;

namespace SfAi.Deploy.Compute;

/// <summary>
/// The log group of the gateway's functions (the seed's <c>ChatLambdaLogGroup</c>): the <c>chat_completion</c> and
/// <c>llm_error</c> events and the EMF metric lines, kept 14 days.
/// </summary>
internal sealed class ChatLambdaLogGroup : Construct
{
    public ChatLambdaLogGroup(Construct scope)
        : base(scope, "ChatLambdaLogGroup")
    {
        LogGroup = new LogGroup(this, "Default", new LogGroupProps
        {
            Retention = RetentionDays.TWO_WEEKS,
            RemovalPolicy = RemovalPolicy.RETAIN,
        });
    }

    public LogGroup LogGroup { get; }

    public void GrantWriting(IRole role) => role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
    {
        Sid = "WriteGatewayLogs",
        Actions = ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resources = [LogGroup.LogGroupArn],
    }));
}
