using SfAi.Hosting.Lambda.Tests.Support;

namespace SfAi.Hosting.Lambda.Tests;

/// <summary>An app that cannot start tells Lambda so, through the init error endpoint.</summary>
public sealed class InitErrorTests
{
    [Fact]
    public async Task Reports_a_start_up_failure_through_the_init_error_endpoint()
    {
        await using var runtime = await RuntimeApiEmulator.StartAsync();

        await LambdaHostingExtensions.ReportInitErrorAsync(new InvalidOperationException("No model map could be loaded from s3://bucket/config/model_map.json"), runtime.Address);

        var posted = await runtime.InitError.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal("InvalidOperationException", posted.Headers["Lambda-Runtime-Function-Error-Type"]);
        Assert.Contains("s3://bucket/config/model_map.json", posted.Json.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Leaves_the_app_alone_outside_Lambda()
    {
        var builder = Microsoft.AspNetCore.Builder.WebApplication.CreateSlimBuilder();

        builder.UseLambdaHosting(options => options.RuntimeApi = null);

        Assert.DoesNotContain(builder.Services, service => service.ServiceType == typeof(Microsoft.AspNetCore.Hosting.Server.IServer)
            && service.ImplementationType?.Name == "LambdaServer");
    }
}
