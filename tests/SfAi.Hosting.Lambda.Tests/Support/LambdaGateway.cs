using Microsoft.AspNetCore.Builder;
using SfAi.Api;

namespace SfAi.Hosting.Lambda.Tests.Support;

/// <summary>The real gateway hosted in "Lambda": its requests come from the Runtime API emulator.</summary>
public sealed class LambdaGateway : IAsyncDisposable
{
    private const string EchoMap = """
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

    public static async Task<LambdaGateway> StartAsync(RuntimeApiEmulator emulator, params string[] settings) =>
        await StartAsync(emulator, streaming: false, settings);

    public static async Task<LambdaGateway> StartAsync(RuntimeApiEmulator emulator, bool streaming, params string[] settings)
    {
        var mapPath = Path.Combine(Path.GetTempPath(), $"sfai-lambda-map-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(mapPath, EchoMap, TestContext.Current.CancellationToken);
        var events = new EventCollector();
        var app = GatewayApplication.Create(
            ["--environment=Production", $"--MODEL_MAP_PATH={mapPath}", "--AUTH_MODE=none", "--METRICS=off", .. settings],
            events,
            configureBuilder: builder => builder.UseLambdaHosting(options =>
            {
                options.RuntimeApi = emulator.Address;
                options.ResponseStreaming = streaming;
            }));
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new LambdaGateway(app, mapPath, events);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        File.Delete(_mapPath);
    }
}
