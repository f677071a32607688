using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace SfAi.Api.Tests.Support;

/// <summary>A fake SSM on 127.0.0.1 speaking the JSON 1.1 protocol of <c>GetParameter</c>, for the real SSM client.</summary>
public sealed class FakeSsm : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeSsm(WebApplication app, Uri address)
    {
        _app = app;
        Endpoint = address;
    }

    public Uri Endpoint { get; }

    public ConcurrentDictionary<string, string> Parameters { get; } = new(StringComparer.Ordinal);

    /// <summary>Each request's <c>Name</c> and <c>WithDecryption</c>.</summary>
    public ConcurrentQueue<(string Name, bool WithDecryption)> Calls { get; } = new();

    public bool Down { get; set; }

    public TimeSpan Delay { get; set; }

    public static async Task<FakeSsm> StartAsync()
    {
        var app = LoopbackApp.Create();
        FakeSsm? fake = null;
        app.MapPost("/", context => fake!.AnswerAsync(context));
        var address = await LoopbackApp.StartAsync(app);
        return fake = new FakeSsm(app, address);
    }

    private async Task AnswerAsync(HttpContext context)
    {
        Assert.Equal("AmazonSSM.GetParameter", context.Request.Headers["X-Amz-Target"].ToString());
        var request = (await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted)).RootElement;
        var name = request.GetProperty("Name").GetString()!;
        Calls.Enqueue((name, request.TryGetProperty("WithDecryption", out var decrypt) && decrypt.GetBoolean()));
        await Task.Delay(Delay, context.RequestAborted);
        context.Response.ContentType = "application/x-amz-json-1.1";
        if (Down)
        {
            context.Response.StatusCode = 500;
            await context.Response.WriteAsync("""{"__type":"InternalServerError","message":"down"}""", context.RequestAborted);
            return;
        }
        if (!Parameters.TryGetValue(name, out var value))
        {
            context.Response.StatusCode = 400;
            await context.Response.WriteAsync($$"""{"__type":"ParameterNotFound","message":"Parameter {{name}} not found."}""", context.RequestAborted);
            return;
        }
        await context.Response.WriteAsync(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["Parameter"] = new Dictionary<string, object> { ["Name"] = name, ["Type"] = "SecureString", ["Value"] = value, ["Version"] = 1 },
        }), context.RequestAborted);
    }

    public ValueTask DisposeAsync() => LoopbackApp.StopAsync(_app);
}
