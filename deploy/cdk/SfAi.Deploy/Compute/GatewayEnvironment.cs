using System.Globalization;
using SfAi.Deploy.Storage;

namespace SfAi.Deploy.Compute;

/// <summary>The gateway's settings on AWS (README "Settings", docs/lambda.md), as the functions' environment variables.</summary>
internal static class GatewayEnvironment
{
    public const string MetricsNamespace = "SfAi";

    /// <summary>The adapter's switch for a Function URL in <c>RESPONSE_STREAM</c> mode; never set behind HTTP API, which buffers.</summary>
    public const string ResponseStreamingVariable = "SFAI_LAMBDA_RESPONSE_STREAMING";

    public static Dictionary<string, string> For(DeploySettings settings, GatewayResources resources)
    {
        var environment = Common(settings, resources);
        if (settings.SupabaseUrl is { } supabaseUrl)
        {
            environment["SUPABASE_URL"] = supabaseUrl;
        }
        if (settings.SupabaseAnonKey is { } anonKey)
        {
            environment["SUPABASE_ANON_KEY"] = anonKey;
        }
        if (settings.SupabaseAudience is { } audience)
        {
            environment["SUPABASE_AUDIENCE"] = audience;
        }
        if (settings.BudgetMonthlyUsd is { } budget)
        {
            environment["BUDGET_MONTHLY_USD"] = budget.ToString(CultureInfo.InvariantCulture);
        }
        return environment;
    }

    private static Dictionary<string, string> Common(DeploySettings settings, GatewayResources resources) => new(StringComparer.Ordinal)
    {
        ["MODEL_MAP_S3_URI"] = resources.Config.S3Uri(ConfigBucket.ModelMapKey),
        ["API_KEYS_S3_URI"] = resources.Config.S3Uri(ConfigBucket.ApiKeysKey),
        ["AUTH_MODE"] = "keys",
        ["RATE_LIMIT_QPM"] = settings.RateLimitQpm.ToString(CultureInfo.InvariantCulture),
        ["ALLOW_ORIGINS"] = settings.AllowOrigins,
        ["RATE_LIMIT_STORE"] = "dynamodb",
        ["RATE_LIMIT_TABLE"] = resources.RateLimits.Table.TableName,
        ["USAGE_STORE"] = "dynamodb",
        ["USAGE_TABLE"] = resources.Usage.Table.TableName,
        ["ENVIRONMENT_NAME"] = settings.EnvironmentName,
        ["METRICS_NAMESPACE"] = MetricsNamespace,
        ["SECRETS_CACHE_SECONDS"] = "300",
        ["LOG_FORMAT"] = "json",
        ["LOG_USER_TEXT"] = settings.LogUserText,
        ["LOG_LEVEL"] = "Information",
    };

    public static Dictionary<string, string> Streaming(IReadOnlyDictionary<string, string> environment) =>
        new(environment, StringComparer.Ordinal) { [ResponseStreamingVariable] = "true" };
}
