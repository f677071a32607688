using Amazon.CDK.AWS.Lambda;
using Constructs;

namespace SfAi.Deploy.Api;

/// <summary>
/// A Function URL in <c>RESPONSE_STREAM</c> mode, so each SSE event reaches the client as the gateway writes it.
/// Open (<c>NONE</c>): the gateway checks its own keys. Since October 2025 a new function URL needs
/// <c>lambda:InvokeFunction</c> (through the URL only) besides <c>lambda:InvokeFunctionUrl</c>; the CDK 2.160 adds
/// only the second, so the first is added here.
/// </summary>
internal sealed class StreamingUrl : Construct
{
    public StreamingUrl(Construct scope, IFunction function, string allowOrigins)
        : base(scope, "StreamingUrl")
    {
        Url = function.AddFunctionUrl(new FunctionUrlOptions
        {
            AuthType = FunctionUrlAuthType.NONE,
            InvokeMode = InvokeMode.RESPONSE_STREAM,
            Cors = GatewayCors.ForFunctionUrl(allowOrigins),
        });
        var invokeThroughUrl = new CfnPermission(this, "InvokeThroughUrl", new CfnPermissionProps
        {
            Action = "lambda:InvokeFunction",
            // The ARN names an alias with its qualifier (provisioned concurrency), where the name would need a join.
            FunctionName = function.FunctionArn,
            Principal = "*",
        });
        invokeThroughUrl.AddPropertyOverride("InvokedViaFunctionUrl", true);
    }

    public FunctionUrl Url { get; }
}
