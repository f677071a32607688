using Amazon.CDK;
using Constructs;
using SfAi.Deploy.Api;
using SfAi.Deploy.Compute;
using SfAi.Deploy.Operations;
using SfAi.Deploy.Secrets;
using SfAi.Deploy.Storage;

namespace SfAi.Deploy;

/// <summary>
/// The SfAi gateway on AWS, one stack per environment (<c>SfAiProdStack</c> for <c>prod</c>): the seed's resources
/// under the seed's names and logical IDs — <c>ConfigBucket</c>, <c>OpenAiApiKey</c>, <c>AnthropicApiKey</c>,
/// <c>ChatCompletionsFunction</c>, <c>ChatLambdaLogGroup</c>, <c>ChatCompletionsApi</c>, <c>ProdStage</c> — and its
/// outputs, plus the rate-limit table, the usage table, an optional streaming Function URL, a dashboard, alarms and
/// saved queries.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "A CDK stack; the seed named its stack SfAiProdStack.")]
public sealed class SfAiStack : Stack
{
    public SfAiStack(Construct scope, DeploySettings settings)
        : base(scope, settings?.StackName, new StackProps
        {
            Description = $"SfAi gateway ({settings?.EnvironmentName}): OpenAI-compatible LLM gateway on Lambda and API Gateway",
        })
    {
        ArgumentNullException.ThrowIfNull(settings);
        var env = settings.EnvironmentName;
        var package = LambdaPackage.For(settings);
        Amazon.CDK.Tags.Of(this).Add("Project", "SfAi");
        Amazon.CDK.Tags.Of(this).Add("Environment", env);

        var config = new ConfigBucket(this);
        var secrets = new List<ProviderKeySecret>
        {
            new(this, "OpenAiApiKey", env, "OPENAI_API_KEY"),
            new(this, "AnthropicApiKey", env, "ANTHROPIC_API_KEY"),
        };
        if (settings.SupabaseJwtSecret)
        {
            secrets.Add(new ProviderKeySecret(this, "SupabaseJwtSecret", env, "SUPABASE_JWT_SECRET"));
        }
        var resources = new GatewayResources(
            config,
            secrets,
            new RateLimitTable(this),
            new UsageTable(this),
            new ChatLambdaLogGroup(this));
        if (settings.UploadConfig)
        {
            _ = new ConfigUpload(this, config, settings.ConfigPath);
        }

        var role = new GatewayRole(this, env, resources);
        var environment = GatewayEnvironment.For(settings, resources);
        var chat = new GatewayFunction(this, "ChatCompletionsFunction", new GatewayFunction.FunctionSettings(
            $"SfAi gateway ({env}) behind the HTTP API", package, settings.Arm64, role.Role, resources.Logs.LogGroup, environment, settings.ProvisionedConcurrency));
        var api = new ChatCompletionsApi(this, env, settings.AllowOrigins, chat.Entry);
        var stage = new ApiStage(this, env, api.Api, settings.RateLimitQpm, settings.BurstLimit);
        var functions = new List<(string Name, Amazon.CDK.AWS.Lambda.IFunction Function)> { ("Chat", chat.Function) };

        _ = new CfnOutput(this, "ChatApiEndpoint", new CfnOutputProps { Value = stage.Endpoint, Description = "Base URL: POST <endpoint>/chat/completions" });
        _ = new CfnOutput(this, "ChatLambdaName", new CfnOutputProps { Value = chat.Function.FunctionName });
        _ = new CfnOutput(this, "ConfigBucketName", new CfnOutputProps { Value = config.Bucket.BucketName });
        _ = new CfnOutput(this, "ChatLogGroupName", new CfnOutputProps { Value = resources.Logs.LogGroup.LogGroupName, Description = "aws logs tail <name> --follow" });
        _ = new CfnOutput(this, "UsageTableName", new CfnOutputProps { Value = resources.Usage.Table.TableName, Description = "The usage ledger: one partition per UTC day, pk = day#YYYY-MM-DD" });

        if (settings.Streaming)
        {
            var streaming = new GatewayFunction(this, "ChatCompletionsStreamingFunction", new GatewayFunction.FunctionSettings(
                $"SfAi gateway ({env}) behind the streaming Function URL", package, settings.Arm64, role.Role,
                resources.Logs.LogGroup, GatewayEnvironment.Streaming(environment), settings.ProvisionedConcurrency));
            var url = new StreamingUrl(this, streaming.Entry, settings.AllowOrigins);
            functions.Add(("Streaming", streaming.Function));
            _ = new CfnOutput(this, "ChatStreamingUrl", new CfnOutputProps { Value = url.Url.Url, Description = "Streaming base URL: POST <url>v1/chat/completions" });
        }

        _ = new GatewayDashboard(this, env, stage.Stage, [.. functions.Select(f => f.Function)]);
        (SpendMetric, decimal)? dailySpend = settings.DailySpendAlarmUsd is { } limitUsd
            ? (new SpendMetric(this, env, resources.Logs.LogGroup), limitUsd)
            : null;
        _ = new GatewayAlarms(this, env, stage.Stage, functions, settings.AlarmEmail, dailySpend);
        _ = new GatewayLogQueries(this, env, resources.Logs.LogGroup);
    }
}
