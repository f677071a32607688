using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.Logs;
using Constructs;
using Architecture = Amazon.CDK.AWS.Lambda.Architecture;

namespace SfAi.Deploy.Compute;

/// <summary>
/// A Lambda function running the published gateway, with the seed's size (512 MB) and timeout (30 s); with
/// provisioned concurrency, a <c>live</c> alias on the latest version keeps that many instances initialised, and the
/// function is called through it (<see cref="Entry"/>).
/// </summary>
internal sealed class GatewayFunction : Construct
{
    public GatewayFunction(Construct scope, string id, FunctionSettings settings)
        : base(scope, id)
    {
        // "Default" keeps the seed's logical ID for ChatCompletionsFunction (ChatCompletionsFunction57B9FADB).
        Function = new Function(this, "Default", new FunctionProps
        {
            Description = settings.Description,
            Runtime = settings.Package.Runtime,
            Handler = settings.Package.Handler,
            Code = settings.Package.Code,
            Architecture = settings.Arm64 ? Architecture.ARM_64 : Architecture.X86_64,
            MemorySize = 512,
            Timeout = Duration.Seconds(30),
            Role = settings.Role,
            LogGroup = settings.LogGroup,
            Environment = settings.Environment,
        });
        Entry = settings.ProvisionedConcurrency > 0
            ? Function.AddAlias("live", new AliasOptions { ProvisionedConcurrentExecutions = settings.ProvisionedConcurrency })
            : Function;
    }

    public Function Function { get; }

    /// <summary>What the API and the Function URL call: the <c>live</c> alias with provisioned concurrency, else the function.</summary>
    public IFunction Entry { get; }

    /// <summary>What differs between the gateway's functions, and what they share.</summary>
    internal sealed record FunctionSettings(
        string Description,
        LambdaPackage Package,
        bool Arm64,
        IRole Role,
        ILogGroup LogGroup,
        IDictionary<string, string> Environment,
        int ProvisionedConcurrency = 0);
}
