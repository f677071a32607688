using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SfAi.Hosting.Lambda.Tests.Support;

namespace SfAi.Hosting.Lambda.Tests;

/// <summary>When the Runtime API itself fails.</summary>
public sealed class RuntimeApiFailureTests
{
    [Fact]
    public async Task Container_error_from_the_Runtime_API_stops_the_app()
    {
        await using var runtime = await RuntimeApiEmulator.StartAsync();
        runtime.ContainerError = true;

        await using var app = await LambdaTestApp.StartAsync(runtime, app => app.MapGet("/", () => "ok"));

        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = app.App.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(() => stopped.TrySetResult());
        await stopped.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal(1, runtime.NextRequests);
    }
}
