using SfAi.Deploy.Tests.Support;

namespace SfAi.Deploy.Tests;

/// <summary>
/// <c>-c provisionedConcurrency=2</c> on arm64 without <c>nativeAot</c> (the <see cref="SynthesizedStacks.Warm"/>
/// stack): the JIT build on <c>dotnet10</c> arm64, and each function called through a <c>live</c> alias that keeps
/// two instances initialised.
/// </summary>
public sealed class ProvisionedConcurrencyTests(SynthesizedStacks stacks)
{
    private readonly StackTemplate _warm = stacks.Warm;

    [Theory]
    [InlineData("ChatCompletionsFunction")]
    [InlineData("ChatCompletionsStreamingFunction")]
    public void Arm64_WithoutNativeAot_RunsTheJitBuildOnDotnet10(string function)
    {
        var properties = _warm.Properties("AWS::Lambda::Function", function);
        Assert.Equal("dotnet10", properties.GetProperty("Runtime").GetString());
        Assert.Equal("SfAi.Api", properties.GetProperty("Handler").GetString());
        Assert.Equal("arm64", Assert.Single(properties.GetProperty("Architectures").EnumerateArray()).GetString());
    }

    [Theory]
    [InlineData("ChatCompletionsFunction")]
    [InlineData("ChatCompletionsStreamingFunction")]
    public void Alias_KeepsTheGivenInstancesOfTheLatestVersionInitialised(string function)
    {
        var alias = _warm.Properties("AWS::Lambda::Alias", function);
        Assert.Equal("live", alias.GetProperty("Name").GetString());
        Assert.Equal(2, alias.GetProperty("ProvisionedConcurrencyConfig").GetProperty("ProvisionedConcurrentExecutions").GetInt32());
        Assert.StartsWith(function, alias.GetProperty("FunctionVersion").GetProperty("Fn::GetAtt")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void HttpApi_CallsTheAliasSoRequestsReachTheInitialisedInstances()
    {
        var integration = Assert.Single(_warm.Resources("AWS::ApiGatewayV2::Integration")).Value.GetProperty("Properties");
        Assert.StartsWith("ChatCompletionsFunctionAliaslive", integration.GetProperty("IntegrationUri").ReferencedId(), StringComparison.Ordinal);
    }

    [Fact]
    public void StreamingUrl_CallsTheAlias()
    {
        var url = _warm.Properties("AWS::Lambda::Url");
        Assert.Equal("live", url.GetProperty("Qualifier").GetString());
        Assert.StartsWith("ChatCompletionsStreamingFunction", url.GetProperty("TargetFunctionArn").ReferencedId(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("lambda:InvokeFunctionUrl")]
    [InlineData("lambda:InvokeFunction")]
    public void StreamingUrl_MayInvokeTheAlias(string action) =>
        Assert.Contains(_warm.Resources("AWS::Lambda::Permission").Select(p => p.Value.GetProperty("Properties")), p =>
            p.GetProperty("Action").GetString() == action && p.GetProperty("Principal").GetString() == "*"
            && p.GetProperty("FunctionName").ReferencedId()?.StartsWith("ChatCompletionsStreamingFunctionAliaslive", StringComparison.Ordinal) == true);

    [Fact]
    public void Synthesis_AttachesNoWarningOrError() => Assert.Empty(_warm.Messages);
}
