using System.Text.Json;
using SfAi.Deploy.Tests.Support;

namespace SfAi.Deploy.Tests;

/// <summary>
/// Every IAM statement the stacks create, in both environments: no <c>*</c> action anywhere, no <c>*</c> resource
/// where a name is possible, and exactly the calls the gateway makes.
/// </summary>
public sealed class LeastPrivilegeTests(SynthesizedStacks stacks)
{
    private const string GatewayRole = "ChatCompletionsFunctionRole";
    private const string UploadRole = "ConfigUploadRole";

    [Theory]
    [InlineData("prod")]
    [InlineData("staging")]
    public void EveryStatement_NamesItsActionsWithoutWildcards(string environment)
    {
        var statements = Stack(environment).PolicyStatements().ToList();
        Assert.NotEmpty(statements);
        Assert.All(statements, item => Assert.DoesNotContain(Strings(item.Statement.GetProperty("Action")), action => action.Contains('*', StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("prod")]
    [InlineData("staging")]
    public void EveryPolicyDocument_UsesAWildcardActionOnlyToDeny(string environment)
    {
        var documents = PolicyDocuments(Stack(environment).Template.GetProperty("Resources")).ToList();
        Assert.Contains(documents, document => document.Resource.StartsWith("ConfigBucketPolicy", StringComparison.Ordinal));
        foreach (var (resource, document) in documents)
        {
            foreach (var statement in document.GetProperty("Statement").EnumerateArray())
            {
                if (Strings(statement.GetProperty("Action")).Any(action => action.Contains('*', StringComparison.Ordinal)))
                {
                    Assert.True(statement.GetProperty("Effect").GetString() == "Deny", $"{resource} allows a wildcard action.");
                }
            }
        }
    }

    [Theory]
    [InlineData("prod")]
    [InlineData("staging")]
    public void EveryStatement_IsAnAllow(string environment) =>
        Assert.All(Stack(environment).PolicyStatements(), item => Assert.Equal("Allow", item.Statement.GetProperty("Effect").GetString()));

    [Theory]
    [InlineData("prod")]
    [InlineData("staging")]
    public void EveryStatement_NamesItsResourcesWithAWildcardOnlyForTheEnvironmentsSecretReferences(string environment)
    {
        foreach (var (policy, statement) in Stack(environment).PolicyStatements())
        {
            var wildcards = Strings(statement.GetProperty("Resource")).Where(part => part.Contains('*', StringComparison.Ordinal)).ToList();
            if (wildcards.Count > 0)
            {
                Assert.Equal("ReadProviderKeyReferences", statement.GetProperty("Sid").GetString());
                Assert.Equal($":parameter/aws/reference/secretsmanager/sfai/{environment}/*", Assert.Single(wildcards));
            }
            Assert.False(statement.GetProperty("Resource").ValueKind == JsonValueKind.String && statement.GetProperty("Resource").GetString() == "*", $"{policy} grants on every resource.");
        }
    }

    [Theory]
    [InlineData("prod")]
    [InlineData("staging")]
    public void GatewayRole_MakesExactlyTheGatewaysCalls(string environment)
    {
        var grants = Stack(environment).StatementsOfRole(GatewayRole)
            .Select(statement => $"{statement.GetProperty("Sid").GetString()}: {string.Join(",", Strings(statement.GetProperty("Action")))}").Order();
        Assert.Equal(
        [
            "CountRateLimits: dynamodb:UpdateItem",
            "ReadBudgetCounters: dynamodb:GetItem",
            "ReadGatewayConfig: s3:GetObject",
            "ReadProviderKeyReferences: ssm:GetParameter",
            "ReadProviderKeys: secretsmanager:GetSecretValue",
            "ReadUsage: dynamodb:Query",
            "RecordUsage: dynamodb:UpdateItem",
            "TellMissingConfigFromForbidden: s3:ListBucket",
            "WriteGatewayLogs: logs:CreateLogStream,logs:PutLogEvents",
        ], grants);
    }

    [Fact]
    public void GatewayRole_ReadsExactlyTheTwoConfigObjects() =>
        Assert.Equal(["/config/api_keys.json", "/config/model_map.json"], ObjectKeysOf(stacks.Prod.Statement(GatewayRole, "ReadGatewayConfig"), "ConfigBucket"));

    [Fact]
    public void GatewayRole_ListsTheConfigBucketItselfAndNoObject() =>
        Assert.Equal("ConfigBucket2112C5EC", stacks.Prod.Statement(GatewayRole, "TellMissingConfigFromForbidden").GetProperty("Resource").ReferencedId());

    [Fact]
    public void GatewayRole_ReadsTheSecretReferencesThroughSsmOfItsRegionAndAccount()
    {
        var parts = stacks.Prod.Statement(GatewayRole, "ReadProviderKeyReferences").GetProperty("Resource").GetProperty("Fn::Join")[1];
        Assert.Equal(["arn:", "AWS::Partition", ":ssm:", "AWS::Region", ":", "AWS::AccountId", ":parameter/aws/reference/secretsmanager/sfai/prod/*"],
            parts.EnumerateArray().Select(part => part.ValueKind == JsonValueKind.String ? part.GetString() : part.GetProperty("Ref").GetString()));
    }

    [Fact]
    public void GatewayRole_ReadsTheValuesOfTheTwoProviderSecretsOnly()
    {
        var secrets = stacks.Prod.Statement(GatewayRole, "ReadProviderKeys").GetProperty("Resource").EnumerateArray().Select(r => r.ReferencedId()).Order();
        Assert.Equal(stacks.Prod.Resources("AWS::SecretsManager::Secret").Select(s => s.Key).Order(), secrets);
        Assert.Equal(2, secrets.Count());
    }

    [Fact]
    public void GatewayRole_UpdatesItemsOfTheRateLimitTableOnly() =>
        Assert.StartsWith("RateLimitTable", stacks.Prod.Statement(GatewayRole, "CountRateLimits").GetProperty("Resource").ReferencedId(), StringComparison.Ordinal);

    [Theory]
    [InlineData("ReadBudgetCounters", "RateLimitTable")]
    [InlineData("RecordUsage", "UsageTable")]
    [InlineData("ReadUsage", "UsageTable")]
    public void GatewayRole_UsesEachTableItselfAndNoIndex(string sid, string table)
    {
        var resource = stacks.Prod.Statement(GatewayRole, sid).GetProperty("Resource");
        Assert.Equal(JsonValueKind.Object, resource.ValueKind);
        Assert.StartsWith(table, resource.ReferencedId(), StringComparison.Ordinal);
        Assert.Equal("Arn", resource.GetProperty("Fn::GetAtt")[1].GetString());
    }

    [Fact]
    public void GatewayRole_WritesToTheChatLambdaLogGroupOnly() =>
        Assert.Equal("ChatLambdaLogGroup176FAFAE", stacks.Prod.Statement(GatewayRole, "WriteGatewayLogs").GetProperty("Resource").ReferencedId());

    [Theory]
    [InlineData("prod", 1)]
    [InlineData("staging", 2)]
    public void Roles_CarryNoManagedPolicy(string environment, int roles)
    {
        var all = Stack(environment).Resources("AWS::IAM::Role").ToList();
        Assert.Equal(roles, all.Count);
        Assert.All(all, role => Assert.False(role.Value.GetProperty("Properties").TryGetProperty("ManagedPolicyArns", out _), $"{role.Key} has a managed policy."));
    }

    [Fact]
    public void ConfigUpload_WritesExactlyTheTwoConfigObjects() =>
        Assert.Equal(["/config/api_keys.json", "/config/model_map.json"], ObjectKeysOf(stacks.Staging.Statement(UploadRole, "WriteGatewayConfig"), "ConfigBucket"));

    [Fact]
    public void ConfigUpload_ReadsOnlyItsOwnAssetObject()
    {
        var asset = stacks.Staging.Properties("Custom::CDKBucketDeployment").GetProperty("SourceObjectKeys")[0].GetString();
        var resource = stacks.Staging.Statement(UploadRole, "ReadConfigAsset").GetProperty("Resource").GetProperty("Fn::Join")[1];
        Assert.Equal("/" + asset, resource.Last().GetString());
    }

    [Fact]
    public void ConfigUpload_HandlerRunsWithTheUploadRole()
    {
        var handler = Assert.Single(stacks.Staging.Resources("AWS::Lambda::Function"), f => f.Key.StartsWith("CustomCDKBucketDeployment", StringComparison.Ordinal));
        Assert.StartsWith(UploadRole, handler.Value.GetProperty("Properties").GetProperty("Role").ReferencedId(), StringComparison.Ordinal);
    }

    [Fact]
    public void ConfigUpload_CopiesOnlyAfterItsPermissionsExist()
    {
        var dependsOn = stacks.Staging.Only("Custom::CDKBucketDeployment").GetProperty("DependsOn").EnumerateArray().Select(d => d.GetString()!);
        Assert.Contains(dependsOn, id => id.StartsWith(UploadRole + "DefaultPolicy", StringComparison.Ordinal));
    }

    /// <summary>Every <c>PolicyDocument</c> in the template's resources: identity policies, bucket policies, any other.</summary>
    private static IEnumerable<(string Resource, JsonElement Document)> PolicyDocuments(JsonElement resources) =>
        resources.EnumerateObject().SelectMany(resource => Documents(resource.Value).Select(document => (resource.Name, document)));

    private static IEnumerable<JsonElement> Documents(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => value.EnumerateObject().SelectMany(p => p.Name == "PolicyDocument" ? [p.Value] : Documents(p.Value)),
        JsonValueKind.Array => value.EnumerateArray().SelectMany(Documents),
        _ => [],
    };

    private StackTemplate Stack(string environment) => environment == "prod" ? stacks.Prod : stacks.Staging;

    /// <summary>The object keys after <c>arn-of-bucket</c> in <c>Fn::Join</c> resources.</summary>
    private static IEnumerable<string> ObjectKeysOf(JsonElement statement, string bucketPrefix) =>
        statement.GetProperty("Resource").EnumerateArray().Select(resource =>
        {
            var parts = resource.GetProperty("Fn::Join")[1];
            Assert.StartsWith(bucketPrefix, parts[0].ReferencedId(), StringComparison.Ordinal);
            return parts[1].GetString()!;
        }).Order();

    /// <summary>Every string in a value: a plain string, the items of a list, the literal parts of intrinsic functions.</summary>
    private static IEnumerable<string> Strings(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => [value.GetString()!],
        JsonValueKind.Array => value.EnumerateArray().SelectMany(Strings),
        JsonValueKind.Object => value.EnumerateObject().Where(p => p.Name is not ("Ref" or "Fn::GetAtt")).SelectMany(p => Strings(p.Value)),
        _ => [],
    };
}
