using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace SfAi.Api.Tests.Support;

/// <summary>The real gateway on Kestrel at 127.0.0.1 (a free port), with a model map of the test's own and its logs captured.</summary>
public sealed class TestGateway : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _directory;

    private TestGateway(WebApplication app, string directory, LogCapture logs)
    {
        _app = app;
        _directory = directory;
        Logs = logs;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseUrl = new Uri(address);
        Http = new HttpClient { BaseAddress = BaseUrl };
    }

    public Uri BaseUrl { get; }

    /// <summary>The OpenAI SDK's endpoint: the gateway's <c>/v1</c>.</summary>
    public Uri V1 => new(BaseUrl, "/v1");

    public HttpClient Http { get; }

    public LogCapture Logs { get; }

    public string ModelMapPath => Path.Combine(_directory, "model_map.json");

    /// <summary>The gateway's own usage ledger (SQLite), in its directory.</summary>
    public string UsageDbPath => Path.Combine(_directory, "usage.db");

    /// <summary>Starts a gateway with <c>AUTH_MODE=none</c> unless <paramref name="settings"/> say otherwise.</summary>
    public static Task<TestGateway> StartAsync(string modelMapJson, params string[] settings) => StartAsync(modelMapJson, null, settings);

    /// <summary>Starts a gateway whose clock is <paramref name="time"/> (a fake, where the test moves time on).</summary>
    public static async Task<TestGateway> StartAsync(string modelMapJson, TimeProvider? time, params string[] settings)
    {
        var directory = Directory.CreateTempSubdirectory("sfai-gateway-").FullName;
        await File.WriteAllTextAsync(Path.Combine(directory, "model_map.json"), modelMapJson);
        var logs = new LogCapture();
        string[] args =
        [
            "--urls=http://127.0.0.1:0",
            "--environment=Production",
            $"--MODEL_MAP_PATH={Path.Combine(directory, "model_map.json")}",
            "--MODEL_MAP_REFRESH_SECONDS=1",
            .. settings.Any(s => s.StartsWith("--AUTH_MODE=", StringComparison.Ordinal)) ? [] : new[] { "--AUTH_MODE=none" },
            .. settings.Any(s => s.StartsWith("--USAGE_DB_PATH=", StringComparison.Ordinal)) ? [] : new[] { $"--USAGE_DB_PATH={Path.Combine(directory, "usage.db")}" },
            .. settings,
        ];
        try
        {
            var app = GatewayApplication.Create(args, logs, time is null ? null : builder => builder.Services.AddSingleton(time));
            await app.StartAsync(TestContext.Current.CancellationToken);
            return new TestGateway(app, directory, logs);
        }
        catch
        {
            Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
