using System.Text.Json;
using SfAi.Deploy.Tests.Support;

namespace SfAi.Deploy.Tests;

/// <summary><c>deploy/cdk/cdk.json</c>: how the CDK CLI runs the app, offline.</summary>
public sealed class CdkJsonTests
{
    private static readonly JsonElement CdkJson = JsonDocument.Parse(File.ReadAllText(RepositoryRoot.Combine("deploy", "cdk", "cdk.json"))).RootElement;

    [Fact]
    public void App_RunsTheDeployProjectBesideIt()
    {
        Assert.Equal("dotnet run --project SfAi.Deploy", CdkJson.GetProperty("app").GetString());
        Assert.True(File.Exists(RepositoryRoot.Combine("deploy", "cdk", "SfAi.Deploy", "SfAi.Deploy.csproj")));
    }

    [Theory]
    [InlineData("notices")]
    [InlineData("cli-telemetry")]
    public void Cli_MakesNoNetworkCallOfItsOwn(string setting) => Assert.False(CdkJson.GetProperty(setting).GetBoolean());

    [Fact]
    public void Context_HoldsNoDeploymentChoiceSoTheCodesDefaultsApply()
    {
        var choices = new[] { "environmentName", "rateLimitQpm", "burstLimit", "allowOrigins", "streaming", "nativeAot", "architecture", "lambdaPackagePath", "uploadConfig", "alarmEmail", "provisionedConcurrency" };
        Assert.DoesNotContain(CdkJson.GetProperty("context").EnumerateObject(), entry => choices.Contains(entry.Name));
    }
}
