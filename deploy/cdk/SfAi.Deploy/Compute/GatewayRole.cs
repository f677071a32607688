using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Constructs;
using SfAi.Deploy.Secrets;
using SfAi.Deploy.Storage;

namespace SfAi.Deploy.Compute;

/// <summary>
/// The execution role of the gateway's functions, with nothing but what the gateway calls: its log group, the two
/// configuration objects, the provider keys through SSM's Secrets Manager references, the rate-limit table (counting,
/// and reading the budgets' counters) and the usage table (adding to a day, and reading it back).
/// No managed policy (<c>AWSLambdaBasicExecutionRole</c> would allow every log group).
/// </summary>
internal sealed class GatewayRole : Construct
{
    public GatewayRole(Construct scope, string environmentName, GatewayResources resources)
        : base(scope, "ChatCompletionsFunctionRole")
    {
        Role = new Role(this, "Default", new RoleProps
        {
            AssumedBy = new ServicePrincipal("lambda.amazonaws.com"),
            Description = $"SfAi gateway functions ({environmentName})",
        });
        resources.Logs.GrantWriting(Role);
        resources.Config.GrantConfigRead(Role);
        resources.RateLimits.GrantCounting(Role);
        resources.RateLimits.GrantBudgetReading(Role);
        resources.Usage.GrantRecordingAndReading(Role);
        Role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "ReadProviderKeyReferences",
            Actions = ["ssm:GetParameter"],
            Resources = [SecretReferenceParameters(scope, environmentName)],
        }));
        Role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "ReadProviderKeys",
            Actions = ["secretsmanager:GetSecretValue"],
            Resources = [.. resources.ProviderKeys.Select(key => key.Secret.SecretArn)],
        }));
    }

    public Role Role { get; }

    /// <summary>
    /// The SSM parameters <c>/aws/reference/secretsmanager/sfai/&lt;env&gt;/*</c> through which the gateway reads the
    /// secrets its model map names: the environment's secrets, and no other's.
    /// </summary>
    private static string SecretReferenceParameters(Construct scope, string environmentName) => Arn.Format(new ArnComponents
    {
        Service = "ssm",
        Resource = "parameter",
        ResourceName = $"aws/reference/secretsmanager/sfai/{environmentName}/*",
        ArnFormat = ArnFormat.SLASH_RESOURCE_NAME,
    }, Stack.Of(scope));
}
