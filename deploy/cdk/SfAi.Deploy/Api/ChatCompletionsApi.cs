using Amazon.CDK.AWS.Apigatewayv2;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AwsApigatewayv2Integrations;
using Constructs;
using HttpMethod = Amazon.CDK.AWS.Apigatewayv2.HttpMethod;

namespace SfAi.Deploy.Api;

/// <summary>
/// The HTTP API in front of the gateway (the seed's <c>ChatCompletionsApi</c>): one route per gateway endpoint (the
/// gateway's route table, <c>GatewayRoutes.All</c>, with and without <c>/v1</c> where the gateway takes both), each to
/// the same function, so a path the gateway does not serve costs no invocation; preflight answered by the API's CORS.
/// HTTP API buffers responses: a streamed answer arrives whole (the Function URL streams).
/// </summary>
internal sealed class ChatCompletionsApi : Construct
{
    /// <summary>The gateway's endpoints (README "Endpoints"); a test holds them equal to the gateway's route table.</summary>
    public static readonly IReadOnlyList<(HttpMethod Method, string Path)> Routes =
    [
        (HttpMethod.POST, "/chat/completions"),
        (HttpMethod.POST, "/v1/chat/completions"),
        (HttpMethod.GET, "/v1/models"),
        (HttpMethod.GET, "/models"),
        (HttpMethod.GET, "/health"),
        (HttpMethod.POST, "/v1/embeddings"),
        (HttpMethod.POST, "/embeddings"),
        (HttpMethod.POST, "/v1/completions"),
        (HttpMethod.POST, "/completions"),
        (HttpMethod.POST, "/v1/responses"),
        (HttpMethod.POST, "/responses"),
        (HttpMethod.GET, "/v1/responses/{id}"),
        (HttpMethod.GET, "/responses/{id}"),
        (HttpMethod.DELETE, "/v1/responses/{id}"),
        (HttpMethod.DELETE, "/responses/{id}"),
        (HttpMethod.GET, "/v1/responses/{id}/input_items"),
        (HttpMethod.GET, "/responses/{id}/input_items"),
        (HttpMethod.POST, "/v1/messages"),
        (HttpMethod.POST, "/messages"),
        (HttpMethod.POST, "/v1/messages/count_tokens"),
        (HttpMethod.POST, "/messages/count_tokens"),
        (HttpMethod.GET, "/v1/usage"),
        (HttpMethod.GET, "/v1/usage/budgets"),
        (HttpMethod.GET, "/usage"),
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
