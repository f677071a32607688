using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SfAi.Hosting.Lambda.Tests.Support;

namespace SfAi.Hosting.Lambda.Tests;

/// <summary>An app that cannot start tells Lambda so through the init error endpoint, before asking for any invocation.</summary>
public sealed class InitErrorTests
{
    [Fact]
    public async Task Start_up_failure_of_the_app_is_reported_before_any_invocation_is_asked_for()
    {
        await using var runtime = await RuntimeApiEmulator.StartAsync();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.UseLambdaHosting(options => options.RuntimeApi = runtime.Address);
        builder.Services.AddHostedService<FailingStart>();
        await using var app = builder.Build();

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => app.StartAsync(TestContext.Current.CancellationToken));
        Assert.True(await LambdaHostingExtensions.ReportInitErrorAsync(failure, runtime.Address));

        var posted = await runtime.InitError.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal("InvalidOperationException", posted.Headers["Lambda-Runtime-Function-Error-Type"]);
        Assert.Equal("application/vnd.aws.lambda.error+json", posted.Headers["Content-Type"]);
        Assert.Equal("the cache could not be warmed", posted.Json.GetProperty("errorMessage").GetString());
        Assert.Equal(0, runtime.NextRequests);
    }

    [Fact]
    public async Task Gateway_without_a_valid_model_map_reports_why_through_the_init_error_endpoint()
    {
        await using var runtime = await RuntimeApiEmulator.StartAsync();
        var mapPath = Path.Combine(Path.GetTempPath(), $"sfai-lambda-bad-map-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(mapPath, """{"providers":{},"aliases":{"echo":{"provider":"nowhere","model":"x"}}}""", TestContext.Current.CancellationToken);
        try
        {
            await using var app = LambdaGateway.Create(runtime, streaming: false, mapPath, new EventCollector());

            var failure = await Record.ExceptionAsync(() => app.StartAsync(TestContext.Current.CancellationToken));
            Assert.NotNull(failure);
            await LambdaHostingExtensions.ReportInitErrorAsync(failure, runtime.Address);

            var posted = await runtime.InitError.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
            Assert.Contains("nowhere", posted.Json.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
            Assert.Equal(0, runtime.NextRequests);
        }
        finally
        {
            File.Delete(mapPath);
        }
    }

    [Fact]
    public async Task Init_error_is_not_reported_outside_Lambda()
    {
        Assert.False(await LambdaHostingExtensions.ReportInitErrorAsync(new InvalidOperationException("x"), runtimeApi: ""));
    }

    [Fact]
    public async Task Init_error_that_the_Runtime_API_cannot_take_does_not_hide_the_failure()
    {
        Assert.False(await LambdaHostingExtensions.ReportInitErrorAsync(new InvalidOperationException("x"), runtimeApi: "127.0.0.1:1"));
    }

    private sealed class FailingStart : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => throw new InvalidOperationException("the cache could not be warmed");

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
