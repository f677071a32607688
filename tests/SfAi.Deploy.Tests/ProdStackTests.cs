using System.Text.Json;
using SfAi.Deploy.Tests.Support;

namespace SfAi.Deploy.Tests;

/// <summary>The default deployment, <c>SfAiProdStack</c>, against the seed's names and the gateway's runtime contract.</summary>
public sealed class ProdStackTests(SynthesizedStacks stacks)
{
    private readonly StackTemplate _prod = stacks.Prod;

    [Fact]
    public void Stack_IsNamedAsTheSeedNamedIt() => Assert.Equal("SfAiProdStack", _prod.StackName);

    [Theory]
    [InlineData("ConfigBucket2112C5EC", "AWS::S3::Bucket")]
    [InlineData("ChatCompletionsFunction57B9FADB", "AWS::Lambda::Function")]
    [InlineData("ChatLambdaLogGroup176FAFAE", "AWS::Logs::LogGroup")]
    public void SeedResources_KeepTheLogicalIdsTheSeedDeployed(string logicalId, string type) =>
        Assert.Equal(type, _prod.Resource(logicalId).GetProperty("Type").GetString());

    [Theory]
    [InlineData("OpenAiApiKey", "AWS::SecretsManager::Secret")]
    [InlineData("AnthropicApiKey", "AWS::SecretsManager::Secret")]
    [InlineData("ChatCompletionsApi", "AWS::ApiGatewayV2::Api")]
    [InlineData("ProdStage", "AWS::ApiGatewayV2::Stage")]
    [InlineData("RateLimitTable", "AWS::DynamoDB::Table")]
    public void SeedResources_KeepTheSeedsNames(string name, string type) => _prod.Only(type, name);

    [Fact]
    public void ConfigBucket_BlocksEveryPublicAccess()
    {
        var block = _prod.Properties("AWS::S3::Bucket", "ConfigBucket").GetProperty("PublicAccessBlockConfiguration");
        Assert.All(["BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"], setting => Assert.True(block.GetProperty(setting).GetBoolean()));
    }

    [Fact]
    public void ConfigBucket_IsEncrypted() =>
        Assert.Equal("AES256", _prod.Properties("AWS::S3::Bucket", "ConfigBucket").GetProperty("BucketEncryption")
            .GetProperty("ServerSideEncryptionConfiguration")[0].GetProperty("ServerSideEncryptionByDefault").GetProperty("SSEAlgorithm").GetString());

    [Fact]
    public void ConfigBucket_KeepsVersionsSoABadUploadCanBeRolledBack() =>
        Assert.Equal("Enabled", _prod.Properties("AWS::S3::Bucket", "ConfigBucket").GetProperty("VersioningConfiguration").GetProperty("Status").GetString());

    [Fact]
    public void ConfigBucket_IsRetainedWhenTheStackIsDeleted() =>
        Assert.Equal("Retain", _prod.Only("AWS::S3::Bucket", "ConfigBucket").GetProperty("DeletionPolicy").GetString());

    [Fact]
    public void ConfigBucket_RefusesRequestsWithoutTls()
    {
        var statement = Assert.Single(_prod.Properties("AWS::S3::BucketPolicy", "ConfigBucket").GetProperty("PolicyDocument").GetProperty("Statement").EnumerateArray());
        Assert.Equal("Deny", statement.GetProperty("Effect").GetString());
        Assert.Equal("false", statement.GetProperty("Condition").GetProperty("Bool").GetProperty("aws:SecureTransport").GetString());
    }

    [Theory]
    [InlineData("OpenAiApiKey", "/sfai/prod/OPENAI_API_KEY")]
    [InlineData("AnthropicApiKey", "/sfai/prod/ANTHROPIC_API_KEY")]
    public void ProviderKeySecret_IsNamedAsTheShippedModelMapNamesIt(string id, string name) =>
        Assert.Equal(name, _prod.Properties("AWS::SecretsManager::Secret", id).GetProperty("Name").GetString());

    [Theory]
    [InlineData("OpenAiApiKey")]
    [InlineData("AnthropicApiKey")]
    public void ProviderKeySecret_HasNoValueGivenOrGenerated(string id)
    {
        var properties = _prod.Properties("AWS::SecretsManager::Secret", id);
        Assert.False(properties.TryGetProperty("SecretString", out _));
        Assert.False(properties.TryGetProperty("GenerateSecretString", out _));
    }

    [Theory]
    [InlineData("OpenAiApiKey")]
    [InlineData("AnthropicApiKey")]
    public void ProviderKeySecret_IsRetainedWhenTheStackIsDeleted(string id) =>
        Assert.Equal("Retain", _prod.Only("AWS::SecretsManager::Secret", id).GetProperty("DeletionPolicy").GetString());

    [Fact]
    public void ShippedModelMap_NamesTheSecretsTheStackCreates()
    {
        using var map = JsonDocument.Parse(File.ReadAllText(RepositoryRoot.Combine("config", "model_map.json")));
        var secretIds = map.RootElement.GetProperty("providers").EnumerateObject()
            .Where(provider => provider.Value.TryGetProperty("apiKey", out var key) && key.TryGetProperty("secretId", out _))
            .Select(provider => provider.Value.GetProperty("apiKey").GetProperty("secretId").GetString()).Order();
        var secrets = _prod.Resources("AWS::SecretsManager::Secret").Select(secret => secret.Value.GetProperty("Properties").GetProperty("Name").GetString()).Order();
        Assert.Equal(secretIds, secrets);
    }

    [Fact]
    public void Function_RunsTheNativeGatewayAsBootstrapOnProvidedAl2023()
    {
        var function = _prod.Properties("AWS::Lambda::Function", "ChatCompletionsFunction");
        Assert.Equal("provided.al2023", function.GetProperty("Runtime").GetString());
        Assert.Equal("bootstrap", function.GetProperty("Handler").GetString());
    }

    [Fact]
    public void Function_IsCalledDirectlyWithoutProvisionedConcurrency()
    {
        Assert.Empty(_prod.Resources("AWS::Lambda::Alias"));
        Assert.Empty(_prod.Resources("AWS::Lambda::Version"));
    }

    [Fact]
    public void Function_HasTheSeedsMemoryAndTimeout()
    {
        var function = _prod.Properties("AWS::Lambda::Function", "ChatCompletionsFunction");
        Assert.Equal(512, function.GetProperty("MemorySize").GetInt32());
        Assert.Equal(30, function.GetProperty("Timeout").GetInt32());
    }

    [Fact]
    public void Function_RunsOnX86ByDefault() =>
        Assert.Equal("x86_64", Assert.Single(_prod.Properties("AWS::Lambda::Function", "ChatCompletionsFunction").GetProperty("Architectures").EnumerateArray()).GetString());

    [Fact]
    public void Function_LogsToTheChatLambdaLogGroup() =>
        Assert.Equal("ChatLambdaLogGroup176FAFAE", _prod.Properties("AWS::Lambda::Function", "ChatCompletionsFunction")
            .GetProperty("LoggingConfig").GetProperty("LogGroup").GetProperty("Ref").GetString());

    [Fact]
    public void LogGroup_KeepsTheLogs14Days() =>
        Assert.Equal(14, _prod.Properties("AWS::Logs::LogGroup", "ChatLambdaLogGroup").GetProperty("RetentionInDays").GetInt32());

    [Theory]
    [InlineData("AUTH_MODE", "keys")]
    [InlineData("RATE_LIMIT_QPM", "60")]
    [InlineData("ALLOW_ORIGINS", "")]
    [InlineData("RATE_LIMIT_STORE", "dynamodb")]
    [InlineData("USAGE_STORE", "dynamodb")]
    [InlineData("ENVIRONMENT_NAME", "prod")]
    [InlineData("METRICS_NAMESPACE", "SfAi")]
    [InlineData("SECRETS_CACHE_SECONDS", "300")]
    [InlineData("LOG_FORMAT", "json")]
    [InlineData("LOG_USER_TEXT", "full")]
    [InlineData("LOG_LEVEL", "Information")]
    public void Function_ConfiguresTheGatewayThroughItsEnvironment(string name, string value) =>
        Assert.Equal(value, _prod.Variables("ChatCompletionsFunction").GetProperty(name).GetString());

    [Theory]
    [InlineData("MODEL_MAP_S3_URI", "/config/model_map.json")]
    [InlineData("API_KEYS_S3_URI", "/config/api_keys.json")]
    public void Function_ReadsItsConfigFilesFromTheConfigBucket(string name, string key)
    {
        var parts = _prod.Variables("ChatCompletionsFunction").GetProperty(name).GetProperty("Fn::Join")[1];
        Assert.Equal("s3://", parts[0].GetString());
        Assert.Equal("ConfigBucket2112C5EC", parts[1].GetProperty("Ref").GetString());
        Assert.Equal(key, parts[2].GetString());
    }

    [Fact]
    public void Function_CountsRateLimitsInTheStacksTable() =>
        Assert.StartsWith("RateLimitTable", _prod.Variables("ChatCompletionsFunction").GetProperty("RATE_LIMIT_TABLE").GetProperty("Ref").GetString(), StringComparison.Ordinal);

    [Fact]
    public void Function_RecordsUsageInTheStacksUsageTable() =>
        Assert.StartsWith("UsageTable", _prod.Variables("ChatCompletionsFunction").GetProperty("USAGE_TABLE").GetProperty("Ref").GetString(), StringComparison.Ordinal);

    [Theory]
    [InlineData("BUDGET_MONTHLY_USD")]
    [InlineData("SUPABASE_URL")]
    [InlineData("SUPABASE_ANON_KEY")]
    [InlineData("SUPABASE_AUDIENCE")]
    public void Function_GetsNoBudgetOrSupabaseSettingUnlessGiven(string name) =>
        Assert.False(_prod.Variables("ChatCompletionsFunction").TryGetProperty(name, out _));

    [Fact]
    public void Function_BehindTheHttpApiIsNotToldToStream() =>
        Assert.False(_prod.Variables("ChatCompletionsFunction").TryGetProperty("SFAI_LAMBDA_RESPONSE_STREAMING", out _));

    [Fact]
    public void RateLimitTable_IsKeyedByPk()
    {
        var table = _prod.Properties("AWS::DynamoDB::Table", "RateLimitTable");
        var key = Assert.Single(table.GetProperty("KeySchema").EnumerateArray());
        Assert.Equal(("pk", "HASH"), (key.GetProperty("AttributeName").GetString(), key.GetProperty("KeyType").GetString()));
        var attribute = Assert.Single(table.GetProperty("AttributeDefinitions").EnumerateArray());
        Assert.Equal(("pk", "S"), (attribute.GetProperty("AttributeName").GetString(), attribute.GetProperty("AttributeType").GetString()));
    }

    [Fact]
    public void RateLimitTable_BillsOnDemand() =>
        Assert.Equal("PAY_PER_REQUEST", _prod.Properties("AWS::DynamoDB::Table", "RateLimitTable").GetProperty("BillingMode").GetString());

    [Fact]
    public void RateLimitTable_ExpiresCountersOnExpiresAt()
    {
        var ttl = _prod.Properties("AWS::DynamoDB::Table", "RateLimitTable").GetProperty("TimeToLiveSpecification");
        Assert.Equal("expiresAt", ttl.GetProperty("AttributeName").GetString());
        Assert.True(ttl.GetProperty("Enabled").GetBoolean());
    }

    [Fact]
    public void RateLimitTable_GoesWithTheStackBecauseItsCountersExpireWithTheirWindow() =>
        Assert.Equal("Delete", _prod.Only("AWS::DynamoDB::Table", "RateLimitTable").GetProperty("DeletionPolicy").GetString());

    [Fact]
    public void UsageTable_IsKeyedByDayAndCounter()
    {
        var table = _prod.Properties("AWS::DynamoDB::Table", "UsageTable");
        Assert.Equal([("pk", "HASH"), ("sk", "RANGE")],
            table.GetProperty("KeySchema").EnumerateArray().Select(key => (key.GetProperty("AttributeName").GetString(), key.GetProperty("KeyType").GetString())));
        Assert.Equal([("pk", "S"), ("sk", "S")],
            table.GetProperty("AttributeDefinitions").EnumerateArray().Select(a => (a.GetProperty("AttributeName").GetString(), a.GetProperty("AttributeType").GetString())).Order());
    }

    [Fact]
    public void UsageTable_BillsOnDemand() =>
        Assert.Equal("PAY_PER_REQUEST", _prod.Properties("AWS::DynamoDB::Table", "UsageTable").GetProperty("BillingMode").GetString());

    [Fact]
    public void UsageTable_CanBeRestoredToAPointInTime() =>
        Assert.True(_prod.Properties("AWS::DynamoDB::Table", "UsageTable").GetProperty("PointInTimeRecoverySpecification").GetProperty("PointInTimeRecoveryEnabled").GetBoolean());

    [Fact]
    public void UsageTable_IsRetainedWhenTheStackIsDeletedOrTheTableReplaced()
    {
        var table = _prod.Only("AWS::DynamoDB::Table", "UsageTable");
        Assert.Equal(("Retain", "Retain"), (table.GetProperty("DeletionPolicy").GetString(), table.GetProperty("UpdateReplacePolicy").GetString()));
    }

    [Fact]
    public void UsageTable_ExpiresItemsOnExpiresAt()
    {
        var ttl = _prod.Properties("AWS::DynamoDB::Table", "UsageTable").GetProperty("TimeToLiveSpecification");
        Assert.Equal("expiresAt", ttl.GetProperty("AttributeName").GetString());
        Assert.True(ttl.GetProperty("Enabled").GetBoolean());
    }

    [Fact]
    public void HttpApi_RoutesEveryGatewayEndpoint()
    {
        // The gateway's route table, read from its source: each route, and without /v1 where the gateway takes both.
        var table = File.ReadAllText(RepositoryRoot.Combine("src", "SfAi.Api", "Endpoints", "GatewayRoutes.cs"));
        var served = System.Text.RegularExpressions.Regex.Matches(table, @"new\(""(\w+)"", ""([^""]+)"", OptionalV1: (true|false)")
            .SelectMany(m => m.Groups[3].Value == "true"
                ? new[] { $"{m.Groups[1].Value} {m.Groups[2].Value}", $"{m.Groups[1].Value} {m.Groups[2].Value["/v1".Length..]}" }
                : [$"{m.Groups[1].Value} {m.Groups[2].Value}"])
            .Order(StringComparer.Ordinal);

        var routes = _prod.Resources("AWS::ApiGatewayV2::Route").Select(route => route.Value.GetProperty("Properties").GetProperty("RouteKey").GetString()!)
            .Order(StringComparer.Ordinal);

        Assert.Equal(24, served.Count());
        Assert.Equal(served, routes);
    }

    [Fact]
    public void HttpApi_SendsEveryRouteToTheChatFunction()
    {
        var integration = Assert.Single(_prod.Resources("AWS::ApiGatewayV2::Integration")).Value.GetProperty("Properties");
        Assert.Equal("AWS_PROXY", integration.GetProperty("IntegrationType").GetString());
        Assert.Equal("2.0", integration.GetProperty("PayloadFormatVersion").GetString());
        Assert.Equal("ChatCompletionsFunction57B9FADB", integration.GetProperty("IntegrationUri").GetProperty("Fn::GetAtt")[0].GetString());
    }

    [Fact]
    public void HttpApi_HasNoCorsWithoutAllowedOrigins() =>
        Assert.False(_prod.Properties("AWS::ApiGatewayV2::Api", "ChatCompletionsApi").TryGetProperty("CorsConfiguration", out _));

    [Fact]
    public void Stage_IsNamedProdAndDeploysEveryChange()
    {
        var stage = _prod.Properties("AWS::ApiGatewayV2::Stage", "ProdStage");
        Assert.Equal("prod", stage.GetProperty("StageName").GetString());
        Assert.True(stage.GetProperty("AutoDeploy").GetBoolean());
    }

    [Fact]
    public void Stage_ThrottlesAtRateLimitQpmPerMinuteWithABurstOf10()
    {
        var throttling = _prod.Properties("AWS::ApiGatewayV2::Stage", "ProdStage").GetProperty("DefaultRouteSettings");
        Assert.Equal(1.0, throttling.GetProperty("ThrottlingRateLimit").GetDouble());
        Assert.Equal(10, throttling.GetProperty("ThrottlingBurstLimit").GetInt32());
    }

    [Fact]
    public void ChatApiEndpoint_IsTheStageUrlWithoutATrailingSlash()
    {
        var parts = _prod.Output("ChatApiEndpoint").GetProperty("Value").GetProperty("Fn::Join")[1];
        Assert.Equal("https://", parts[0].GetString());
        Assert.Equal("/prod", parts.Last().GetString());
    }

    [Theory]
    [InlineData("ChatLambdaName", "ChatCompletionsFunction57B9FADB")]
    [InlineData("ConfigBucketName", "ConfigBucket2112C5EC")]
    [InlineData("ChatLogGroupName", "ChatLambdaLogGroup176FAFAE")]
    public void Output_NamesTheResourceAsTheSeedDid(string output, string logicalId) =>
        Assert.Equal(logicalId, _prod.Output(output).GetProperty("Value").GetProperty("Ref").GetString());

    [Fact]
    public void Output_UsageTableName_NamesTheUsageTable() =>
        Assert.Equal(Assert.Single(_prod.Resources("AWS::DynamoDB::Table"), t => t.Key.StartsWith("UsageTable", StringComparison.Ordinal)).Key,
            _prod.Output("UsageTableName").GetProperty("Value").GetProperty("Ref").GetString());

    [Fact]
    public void StreamingUrl_IsAbsentUnlessAskedFor()
    {
        Assert.Empty(_prod.Resources("AWS::Lambda::Url"));
        Assert.False(_prod.Template.GetProperty("Outputs").TryGetProperty("ChatStreamingUrl", out _));
    }

    [Fact]
    public void ConfigUpload_IsAbsentUnlessAskedFor() => Assert.Empty(_prod.Resources("Custom::CDKBucketDeployment"));

    [Fact]
    public void Synthesis_AttachesNoWarningOrError() => Assert.Empty(_prod.Messages);
}
