using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SfAi.Hosting.Lambda.Tests.Support;

/// <summary>
/// The Lambda Runtime API (2018-06-01) on 127.0.0.1, as Lambda documents it: it hands out queued events through
/// <c>/runtime/invocation/next</c> and records what the runtime posts back.
/// </summary>
public sealed class RuntimeApiEmulator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Channel<(string Id, byte[] Payload, DateTimeOffset Deadline, string TraceId)> _events = Channel.CreateUnbounded<(string, byte[], DateTimeOffset, string)>();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<Posted>> _answers = new();

    private RuntimeApiEmulator(WebApplication app)
    {
        _app = app;
        Address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Authority;
    }

    /// <summary>What <c>AWS_LAMBDA_RUNTIME_API</c> would hold: <c>host:port</c>.</summary>
    public string Address { get; }

    public TaskCompletionSource<Posted> InitError { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static async Task<RuntimeApiEmulator> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        RuntimeApiEmulator? emulator = null;
        app.MapGet("/2018-06-01/runtime/invocation/next", async context =>
        {
            var next = await emulator!._events.Reader.ReadAsync(context.RequestAborted);
            context.Response.Headers["Lambda-Runtime-Aws-Request-Id"] = next.Id;
            context.Response.Headers["Lambda-Runtime-Deadline-Ms"] = next.Deadline.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
            context.Response.Headers["Lambda-Runtime-Trace-Id"] = next.TraceId;
            context.Response.Headers["Lambda-Runtime-Invoked-Function-Arn"] = "arn:aws:lambda:us-east-1:123456789012:function:sfai";
            await context.Response.Body.WriteAsync(next.Payload, context.RequestAborted);
        });
        app.MapPost("/2018-06-01/runtime/invocation/{id}/{kind}", async (HttpContext context, string id, string kind) =>
        {
            var posted = await Posted.ReadAsync(kind, context);
            emulator!._answers.GetOrAdd(id, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult(posted);
            context.Response.StatusCode = 202;
        });
        app.MapPost("/2018-06-01/runtime/init/error", async context =>
        {
            emulator!.InitError.TrySetResult(await Posted.ReadAsync("init-error", context));
            context.Response.StatusCode = 202;
        });
        await app.StartAsync(TestContext.Current.CancellationToken);
        return emulator = new RuntimeApiEmulator(app);
    }

    /// <summary>Queues one invocation and waits for what the runtime posts back for it.</summary>
    public async Task<Posted> InvokeAsync(byte[] payload, TimeSpan? timeLeft = null, string traceId = "Root=1-5e7ae61f-bb13a2d967a67dd51b8aca50")
    {
        var id = Guid.NewGuid().ToString();
        var answer = _answers.GetOrAdd(id, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));
        await _events.Writer.WriteAsync((id, payload, DateTimeOffset.UtcNow + (timeLeft ?? TimeSpan.FromSeconds(30)), traceId), TestContext.Current.CancellationToken);
        return await answer.Task.WaitAsync(TimeSpan.FromSeconds(15), TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _events.Writer.TryComplete();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>
/// What the runtime posted: to <c>response</c>, <c>error</c> or <c>init/error</c>, with its headers, its body, when
/// each piece of the body arrived, and the request trailers of a streamed response.
/// </summary>
public sealed record Posted(
    string Kind,
    IReadOnlyDictionary<string, string> Headers,
    byte[] Body,
    IReadOnlyList<(TimeSpan At, byte[] Data)> Reads,
    IReadOnlyDictionary<string, string> Trailers)
{
    public static async Task<Posted> ReadAsync(string kind, HttpContext context)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var body = new MemoryStream();
        var reads = new List<(TimeSpan, byte[])>();
        var buffer = new byte[16384];
        int read;
        while ((read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
        {
            reads.Add((clock.Elapsed, buffer[..read]));
            await body.WriteAsync(buffer.AsMemory(0, read), context.RequestAborted);
        }
        var trailers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (context.Request.CheckTrailersAvailable())
        {
            foreach (var name in new[] { "Lambda-Runtime-Function-Error-Type", "Lambda-Runtime-Function-Error-Body" })
            {
                if (context.Request.GetTrailer(name).ToString() is { Length: > 0 } value)
                {
                    trailers[name] = value;
                }
            }
        }
        return new Posted(kind, context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            body.ToArray(), reads, trailers);
    }

    public System.Text.Json.JsonElement Json => System.Text.Json.JsonDocument.Parse(Body).RootElement;
}
