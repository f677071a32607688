using System.Text.Json;
using SfAi.Deploy.Tests.Support;

namespace SfAi.Deploy.Tests;

/// <summary>
/// A second environment, <c>staging</c>, with every switch on: every name follows the environment, and each switch
/// does what the gateway expects of it.
/// </summary>
public sealed class SecondEnvironmentTests(SynthesizedStacks stacks)
{
    private readonly StackTemplate _staging = stacks.Staging;

    [Fact]
    public void Stack_IsNamedAfterTheEnvironment() => Assert.Equal("SfAiStagingStack", _staging.StackName);

    [Fact]
    public void Secrets_AreTheEnvironmentsOwn()
    {
        var names = _staging.Resources("AWS::SecretsManager::Secret").Select(secret => secret.Value.GetProperty("Properties").GetProperty("Name").GetString()).Order();
        Assert.Equal(["/sfai/staging/ANTHROPIC_API_KEY", "/sfai/staging/OPENAI_API_KEY", "/sfai/staging/SUPABASE_JWT_SECRET"], names);
    }

    [Fact]
    public void Supabase_UrlReachesBothFunctions()
    {
        Assert.Equal(SynthesizedStacks.StagingSupabaseUrl, _staging.Variables("ChatCompletionsFunction").GetProperty("SUPABASE_URL").GetString());
        Assert.Equal(SynthesizedStacks.StagingSupabaseUrl, _staging.Variables("ChatCompletionsStreamingFunction").GetProperty("SUPABASE_URL").GetString());
    }

    [Theory]
    [InlineData("ChatCompletionsFunction", "SUPABASE_ANON_KEY", SynthesizedStacks.StagingSupabaseAnonKey)]
    [InlineData("ChatCompletionsStreamingFunction", "SUPABASE_ANON_KEY", SynthesizedStacks.StagingSupabaseAnonKey)]
    [InlineData("ChatCompletionsFunction", "SUPABASE_AUDIENCE", SynthesizedStacks.StagingSupabaseAudience)]
    [InlineData("ChatCompletionsStreamingFunction", "SUPABASE_AUDIENCE", SynthesizedStacks.StagingSupabaseAudience)]
    [InlineData("ChatCompletionsFunction", "BUDGET_MONTHLY_USD", SynthesizedStacks.StagingBudgetMonthlyUsd)]
    [InlineData("ChatCompletionsStreamingFunction", "BUDGET_MONTHLY_USD", SynthesizedStacks.StagingBudgetMonthlyUsd)]
    public void Function_BothTakeTheGivenSupabaseAndBudgetSettings(string function, string name, string value) =>
        Assert.Equal(value, _staging.Variables(function).GetProperty(name).GetString());

    [Theory]
    [InlineData("ChatCompletionsFunction")]
    [InlineData("ChatCompletionsStreamingFunction")]
    public void Usage_BothFunctionsRecordInTheStacksUsageTable(string function)
    {
        var variables = _staging.Variables(function);
        var table = Assert.Single(_staging.Resources("AWS::DynamoDB::Table"), t => t.Key.StartsWith("UsageTable", StringComparison.Ordinal)).Key;
        Assert.Equal(("dynamodb", table), (variables.GetProperty("USAGE_STORE").GetString(), variables.GetProperty("USAGE_TABLE").GetProperty("Ref").GetString()));
    }

    [Fact]
    public void Supabase_JwtSecretIsCreatedEmptyAndReadableByTheGateway()
    {
        var secret = _staging.Resources("AWS::SecretsManager::Secret")
            .Single(s => s.Value.GetProperty("Properties").GetProperty("Name").GetString() == "/sfai/staging/SUPABASE_JWT_SECRET");
        var properties = secret.Value.GetProperty("Properties");
        Assert.False(properties.TryGetProperty("GenerateSecretString", out _));
        Assert.False(properties.TryGetProperty("SecretString", out _));
        var readable = _staging.Statement("ChatCompletionsFunctionRole", "ReadProviderKeys").GetProperty("Resource").GetRawText();
        Assert.Contains($"\"Ref\":\"{secret.Key}\"", readable.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void Stage_IsNamedAfterTheEnvironment() =>
        Assert.Equal("staging", _staging.Properties("AWS::ApiGatewayV2::Stage", "ProdStage").GetProperty("StageName").GetString());

    [Fact]
    public void ChatApiEndpoint_EndsWithTheEnvironmentsStage() =>
        Assert.Equal("/staging", _staging.Output("ChatApiEndpoint").GetProperty("Value").GetProperty("Fn::Join")[1].Last().GetString());

    [Fact]
    public void Function_TellsTheGatewayItsEnvironment() =>
        Assert.Equal("staging", _staging.Variables("ChatCompletionsFunction").GetProperty("ENVIRONMENT_NAME").GetString());

    [Fact]
    public void Role_ReadsOnlyTheEnvironmentsSecretReferences() =>
        Assert.EndsWith(":parameter/aws/reference/secretsmanager/sfai/staging/*",
            _staging.Statement("ChatCompletionsFunctionRole", "ReadProviderKeyReferences").GetProperty("Resource").GetProperty("Fn::Join")[1].Last().GetString(),
            StringComparison.Ordinal);

    [Fact]
    public void Stage_ThrottlesFromTheGivenQpmAndBurst()
    {
        var throttling = _staging.Properties("AWS::ApiGatewayV2::Stage", "ProdStage").GetProperty("DefaultRouteSettings");
        Assert.Equal(2.0, throttling.GetProperty("ThrottlingRateLimit").GetDouble());
        Assert.Equal(20, throttling.GetProperty("ThrottlingBurstLimit").GetInt32());
    }

    [Theory]
    [InlineData("RATE_LIMIT_QPM", "120")]
    [InlineData("LOG_USER_TEXT", "hash")]
    [InlineData("ALLOW_ORIGINS", SynthesizedStacks.StagingOrigin + ", https://admin.example.com")]
    public void Function_TakesTheOverriddenSettings(string name, string value) =>
        Assert.Equal(value, _staging.Variables("ChatCompletionsFunction").GetProperty(name).GetString());

    [Theory]
    [InlineData("ChatCompletionsFunction")]
    [InlineData("ChatCompletionsStreamingFunction")]
    public void NativeAot_RunsTheBootstrapBinaryOnProvidedAl2023(string function)
    {
        var properties = _staging.Properties("AWS::Lambda::Function", function);
        Assert.Equal("provided.al2023", properties.GetProperty("Runtime").GetString());
        Assert.Equal("bootstrap", properties.GetProperty("Handler").GetString());
    }

    [Theory]
    [InlineData("ChatCompletionsFunction")]
    [InlineData("ChatCompletionsStreamingFunction")]
    public void Architecture_Arm64_RunsTheFunctionsOnArm(string function) =>
        Assert.Equal("arm64", Assert.Single(_staging.Properties("AWS::Lambda::Function", function).GetProperty("Architectures").EnumerateArray()).GetString());

    [Fact]
    public void Streaming_ServesTheSecondFunctionThroughAResponseStreamUrl()
    {
        var url = _staging.Properties("AWS::Lambda::Url");
        Assert.Equal("RESPONSE_STREAM", url.GetProperty("InvokeMode").GetString());
        Assert.StartsWith("ChatCompletionsStreamingFunction", url.GetProperty("TargetFunctionArn").GetProperty("Fn::GetAtt")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Streaming_UrlIsOpenBecauseTheGatewayChecksItsOwnKeys() =>
        Assert.Equal("NONE", _staging.Properties("AWS::Lambda::Url").GetProperty("AuthType").GetString());

    [Fact]
    public void Streaming_UrlMayBeInvokedAsNewFunctionUrlsRequire()
    {
        var permissions = _staging.Resources("AWS::Lambda::Permission").Select(p => p.Value.GetProperty("Properties"))
            .Where(p => p.GetProperty("FunctionName").ReferencedId()?.StartsWith("ChatCompletionsStreamingFunction", StringComparison.Ordinal) == true).ToList();
        Assert.Contains(permissions, p => p.GetProperty("Action").GetString() == "lambda:InvokeFunctionUrl"
            && p.GetProperty("FunctionUrlAuthType").GetString() == "NONE" && p.GetProperty("Principal").GetString() == "*");
        Assert.Contains(permissions, p => p.GetProperty("Action").GetString() == "lambda:InvokeFunction"
            && p.GetProperty("InvokedViaFunctionUrl").GetBoolean() && p.GetProperty("Principal").GetString() == "*");
    }

    [Fact]
    public void Streaming_UrlIsOutputAsChatStreamingUrl() =>
        Assert.Equal("FunctionUrl", _staging.Output("ChatStreamingUrl").GetProperty("Value").GetProperty("Fn::GetAtt")[1].GetString());

    [Fact]
    public void Streaming_OnlyTheFunctionBehindTheUrlIsToldToStream()
    {
        Assert.Equal("true", _staging.Variables("ChatCompletionsStreamingFunction").GetProperty("SFAI_LAMBDA_RESPONSE_STREAMING").GetString());
        Assert.False(_staging.Variables("ChatCompletionsFunction").TryGetProperty("SFAI_LAMBDA_RESPONSE_STREAMING", out _));
    }

    [Fact]
    public void Streaming_FunctionHasTheSameSettingsOtherwise()
    {
        var chat = _staging.Variables("ChatCompletionsFunction").EnumerateObject().ToDictionary(v => v.Name, v => v.Value.GetRawText());
        var streaming = _staging.Variables("ChatCompletionsStreamingFunction").EnumerateObject()
            .Where(v => v.Name != "SFAI_LAMBDA_RESPONSE_STREAMING").ToDictionary(v => v.Name, v => v.Value.GetRawText());
        Assert.Equal(chat, streaming);
    }

    [Fact]
    public void Streaming_FunctionRunsTheSameCode()
    {
        string Code(string function) => _staging.Properties("AWS::Lambda::Function", function).GetProperty("Code").GetProperty("S3Key").GetString()!;
        Assert.Equal(Code("ChatCompletionsFunction"), Code("ChatCompletionsStreamingFunction"));
    }

    [Fact]
    public void Cors_AnswersPreflightForTheAllowedOrigins()
    {
        var cors = _staging.Properties("AWS::ApiGatewayV2::Api", "ChatCompletionsApi").GetProperty("CorsConfiguration");
        Assert.Equal([SynthesizedStacks.StagingOrigin, "https://admin.example.com"], cors.GetProperty("AllowOrigins").EnumerateArray().Select(o => o.GetString()));
        Assert.Contains("OPTIONS", cors.GetProperty("AllowMethods").EnumerateArray().Select(m => m.GetString()));
    }

    [Theory]
    [InlineData("authorization")]
    [InlineData("content-type")]
    [InlineData("x-api-key")]
    [InlineData("apikey")]
    [InlineData("x-client-info")]
    [InlineData("x-stainless-arch")]
    [InlineData("x-stainless-async")]
    [InlineData("x-stainless-lang")]
    [InlineData("x-stainless-os")]
    [InlineData("x-stainless-package-version")]
    [InlineData("x-stainless-retry-count")]
    [InlineData("x-stainless-runtime")]
    [InlineData("x-stainless-runtime-version")]
    [InlineData("x-stainless-timeout")]
    [InlineData("x-stainless-read-timeout")]
    [InlineData("x-stainless-helper-method")]
    public void Cors_AllowsTheHeadersOpenAiClientsSend(string header)
    {
        Assert.Contains(header, Strings(_staging.Properties("AWS::ApiGatewayV2::Api", "ChatCompletionsApi").GetProperty("CorsConfiguration").GetProperty("AllowHeaders")));
        Assert.Contains(header, Strings(_staging.Properties("AWS::Lambda::Url").GetProperty("Cors").GetProperty("AllowHeaders")));
    }

    [Fact]
    public void Cors_ListsNoHeaderWildcardWhichApiGatewayRefuses() =>
        Assert.DoesNotContain(Strings(_staging.Properties("AWS::ApiGatewayV2::Api", "ChatCompletionsApi").GetProperty("CorsConfiguration").GetProperty("AllowHeaders")),
            header => header.Contains('*', StringComparison.Ordinal));

    [Fact]
    public void Cors_StreamingUrlAllowsTheSameOrigins() =>
        Assert.Equal([SynthesizedStacks.StagingOrigin, "https://admin.example.com"], Strings(_staging.Properties("AWS::Lambda::Url").GetProperty("Cors").GetProperty("AllowOrigins")));

    [Fact]
    public void ConfigUpload_CopiesIntoTheConfigFolderOfTheBucket()
    {
        var upload = _staging.Properties("Custom::CDKBucketDeployment");
        Assert.Equal("config/", upload.GetProperty("DestinationBucketKeyPrefix").GetString());
        Assert.StartsWith("ConfigBucket", upload.GetProperty("DestinationBucketName").GetProperty("Ref").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ConfigUpload_NeverDeletesObjects()
    {
        var upload = _staging.Properties("Custom::CDKBucketDeployment");
        Assert.False(upload.GetProperty("Prune").GetBoolean());
        Assert.True(upload.GetProperty("RetainOnDelete").GetBoolean());
    }

    [Fact]
    public void ConfigUpload_SendsOnlyTheModelMapAndTheKeysFile()
    {
        var asset = _staging.Properties("Custom::CDKBucketDeployment").GetProperty("SourceObjectKeys")[0].GetString()!;
        var staged = Path.Combine(_staging.AssemblyDirectory, "asset." + Path.GetFileNameWithoutExtension(asset));
        Assert.Equal(["api_keys.json", "model_map.json"], Directory.GetFiles(staged).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void Alarms_MailTheGivenAddress()
    {
        var subscription = _staging.Properties("AWS::SNS::Subscription");
        Assert.Equal(("email", SynthesizedStacks.StagingAlarmEmail), (subscription.GetProperty("Protocol").GetString(), subscription.GetProperty("Endpoint").GetString()));
    }

    [Fact]
    public void Alarms_EachNotifyTheTopic()
    {
        var topic = Assert.Single(_staging.Resources("AWS::SNS::Topic")).Key;
        Assert.All(_staging.Resources("AWS::CloudWatch::Alarm"), alarm =>
            Assert.Equal(topic, Assert.Single(alarm.Value.GetProperty("Properties").GetProperty("AlarmActions").EnumerateArray()).GetProperty("Ref").GetString()));
    }

    [Fact]
    public void Alarms_WatchTheStreamingFunctionsThrottlesToo() =>
        Assert.Equal(2, _staging.Resources("AWS::CloudWatch::Alarm").Count(alarm => alarm.Value.GetProperty("Properties").TryGetProperty("MetricName", out var name) && name.GetString() == "Throttles"));

    [Fact]
    public void Synthesis_AttachesNoWarningOrError() => Assert.Empty(_staging.Messages);

    private static IEnumerable<string> Strings(JsonElement array) => array.EnumerateArray().Select(item => item.GetString()!);
}
