using Microsoft.AspNetCore.Builder;
using SfAi.Api;

namespace SfAi.Hosting.Lambda.Tests.Support;

/// <summary>
/// The real gateway (<see cref="GatewayApplication"/>) hosted in "Lambda": its requests come from the Runtime API
/// emulator, whose address is given explicitly, so no test sets a process environment variable.
/// </summary>
public sealed class LambdaGateway : IAsyncDisposable
{
    public const string EchoMap = """
        {
          "providers": { "echo": { "type": "echo" } },
          "aliases": { "echo": { "provider": "echo", "model": "echo-1" } }
        }
        """;

    private readonly WebApplication _app;
    private readonly string _mapPath;

    private LambdaGateway(WebApplication app, string mapPath, EventCollector events)
    {
        _app = app;
        _mapPath = mapPath;
        Events = events;
    }

    /// <summary>The gateway's log events, as the compact JSON lines CloudWatch receives.</summary>
    public EventCollector Events { get; }

    public static Task<LambdaGateway> StartAsync(RuntimeApiEmulator emulator, params string[] settings) =>
        StartAsync(emulator, streaming: false, configure: null, settings);

    public static async Task<LambdaGateway> StartAsync(
        RuntimeApiEmulator emulator, bool streaming, Action<WebApplicationBuilder>? configure, params string[] settings)
    {
        var mapPath = Path.Combine(Path.GetTempPath(), $"sfai-lambda-map-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(mapPath, EchoMap, TestContext.Current.CancellationToken);
        var events = new EventCollector();
        var app = Create(emulator, streaming, mapPath, events, configure, settings);
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new LambdaGateway(app, mapPath, events);
    }

    /// <summary>The gateway's application, built as <c>Program</c> builds it, but for the emulator's Runtime API.</summary>
    public static WebApplication Create(RuntimeApiEmulator emulator, bool streaming, string mapPath, EventCollector events,
        Action<WebApplicationBuilder>? configure = null, params string[] settings) =>
        GatewayApplication.Create(
            ["--environment=Production", $"--MODEL_MAP_PATH={mapPath}", "--AUTH_MODE=none", "--METRICS=off", .. settings],
            events,
            configureBuilder: builder =>
            {
                builder.UseLambdaHosting(options =>
                {
                    options.RuntimeApi = emulator.Address;
                    options.ResponseStreaming = streaming;
                });
                configure?.Invoke(builder);
            });

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        File.Delete(_mapPath);
    }
}
