using Amazon.CDK.AWS.Apigatewayv2;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AwsApigatewayv2Integrations;
using Constructs;
using HttpMethod = Amazon.CDK.AWS.Apigatewayv2.HttpMethod;

namespace SfAi.Deploy.Api;

/// <summary>
/// The HTTP API in front of the gateway (the seed's <c>ChatCompletionsApi</c>): one route per gateway endpoint, each
/// to the same function; preflight answered by the API's CORS. HTTP API buffers responses: a streamed completion
/// arrives whole (the Function URL streams).
/// </summary>
internal sealed class ChatCompletionsApi : Construct
{
    /// <summary>The gateway's endpoints (README "Endpoints").</summary>
    public static readonly IReadOnlyList<(HttpMethod Method, string Path)> Routes =
    [
        (HttpMethod.POST, "/chat/completions"),
        (HttpMethod.POST, "/v1/chat/completions"),
        (HttpMethod.GET, "/v1/models"),
        (HttpMethod.GET, "/models"),
        (HttpMethod.GET, "/health"),
    ];

    public ChatCompletionsApi(Construct scope, string environmentName, string allowOrigins, IFunction function)
        : base(scope, "ChatCompletionsApi")
    {
        Api = new HttpApi(this, "Default", new HttpApiProps
        {
            ApiName = $"sfai-{environmentName}-chat",
            Description = $"SfAi gateway ({environmentName}): OpenAI-compatible chat completions",
            CreateDefaultStage = false,
            CorsPreflight = GatewayCors.ForHttpApi(allowOrigins),
        });
        var integration = new HttpLambdaIntegration("Gateway", function);
        foreach (var (method, path) in Routes)
        {
            Api.AddRoutes(new AddRoutesOptions { Path = path, Methods = [method], Integration = integration });
        }
    }

    public HttpApi Api { get; }
}
