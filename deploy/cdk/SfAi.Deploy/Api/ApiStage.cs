using Amazon.CDK.AWS.Apigatewayv2;
using Constructs;

namespace SfAi.Deploy.Api;

/// <summary>
/// The API's stage, named after the environment (<c>prod</c> gives the seed's endpoint <c>…/prod</c>), deployed on
/// every change, throttled from <c>RATE_LIMIT_QPM</c> (per minute → per second) with <c>burstLimit</c>. Its construct
/// keeps the seed's name <c>ProdStage</c> in every environment, so the logical ID stays what the seed deployed.
/// </summary>
internal sealed class ApiStage : Construct
{
    public ApiStage(Construct scope, string environmentName, IHttpApi api, int rateLimitQpm, int burstLimit)
        : base(scope, "ProdStage")
    {
        Stage = new HttpStage(this, "Default", new HttpStageProps
        {
            HttpApi = api,
            StageName = environmentName,
            AutoDeploy = true,
            // RATE_LIMIT_QPM=0 means no limit: the account's default throttling applies.
            Throttle = rateLimitQpm > 0 ? new ThrottleSettings { RateLimit = rateLimitQpm / 60.0, BurstLimit = burstLimit } : null,
        });
    }

    public HttpStage Stage { get; }

    /// <summary>The base URL the seed printed: <c>https://&lt;api&gt;.execute-api.&lt;region&gt;.amazonaws.com/&lt;stage&gt;</c>, no trailing slash.</summary>
    public string Endpoint => Stage.Url.TrimEnd('/');
}
