using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SfAi.Hosting.Lambda.Tests.Support;

/// <summary>A small ASP.NET Core app of the test's own, hosted in "Lambda" through the emulator.</summary>
public sealed class LambdaTestApp : IAsyncDisposable
{
    private LambdaTestApp(WebApplication app) => App = app;

    public WebApplication App { get; }

    public static async Task<LambdaTestApp> StartAsync(RuntimeApiEmulator runtime, Action<WebApplication> routes,
        bool streaming = false, Action<IServiceCollection>? services = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.UseLambdaHosting(options =>
        {
            options.RuntimeApi = runtime.Address;
            options.ResponseStreaming = streaming;
        });
        services?.Invoke(builder.Services);
        var app = builder.Build();
        routes(app);
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new LambdaTestApp(app);
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
