using Amazon.CDK;
using Amazon.CDK.AWS.Apigatewayv2;
using Amazon.CDK.AWS.Lambda;
using LambdaHttpMethod = Amazon.CDK.AWS.Lambda.HttpMethod;

namespace SfAi.Deploy.Api;

/// <summary>
/// CORS for browsers calling the gateway, from <c>ALLOW_ORIGINS</c>: API Gateway and the Function URL answer the
/// <c>OPTIONS</c> preflight themselves; Supabase clients add <c>apikey</c> and <c>x-client-info</c>. Neither takes a wildcard in a header name, so the OpenAI SDK's
/// <c>x-stainless-*</c> headers are listed one by one. No origins, no CORS.
/// </summary>
internal static class GatewayCors
{
    public static readonly string[] AllowedHeaders =
    [
        "authorization", "content-type", "x-api-key", "apikey", "x-client-info", "openai-organization", "openai-project",
        "x-stainless-arch", "x-stainless-async", "x-stainless-lang", "x-stainless-os", "x-stainless-package-version",
        "x-stainless-retry-count", "x-stainless-runtime", "x-stainless-runtime-version", "x-stainless-timeout",
        "x-stainless-read-timeout", "x-stainless-helper-method",
    ];

    /// <summary>The gateway's response headers that a browser script may read.</summary>
    public static readonly string[] ExposedHeaders =
    [
        "x-request-id", "retry-after", "x-ratelimit-limit-requests", "x-ratelimit-remaining-requests", "x-ratelimit-reset-requests",
    ];

    public static string[] Origins(string allowOrigins) =>
        allowOrigins.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static CorsPreflightOptions? ForHttpApi(string allowOrigins) => Origins(allowOrigins) is { Length: > 0 } origins
        ? new CorsPreflightOptions
        {
            AllowOrigins = origins,
            AllowHeaders = AllowedHeaders,
            AllowMethods = [CorsHttpMethod.GET, CorsHttpMethod.POST, CorsHttpMethod.OPTIONS],
            ExposeHeaders = ExposedHeaders,
            MaxAge = Duration.Hours(1),
        }
        : null;

    public static FunctionUrlCorsOptions? ForFunctionUrl(string allowOrigins) => Origins(allowOrigins) is { Length: > 0 } origins
        ? new FunctionUrlCorsOptions
        {
            AllowedOrigins = origins,
            AllowedHeaders = AllowedHeaders,
            AllowedMethods = [LambdaHttpMethod.GET, LambdaHttpMethod.POST],
            ExposedHeaders = ExposedHeaders,
            MaxAge = Duration.Hours(1),
        }
        : null;
}
