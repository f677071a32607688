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
/// <c>/runtime/invocation/next</c> and records what the runtime posts back, streamed responses and their trailers
/// included.
/// </summary>
public sealed class RuntimeApiEmulator : IAsyncDisposable
{
    public const string FunctionArn = "arn:aws:lambda:us-east-1:123456789012:function:sfai";

    private readonly WebApplication _app;
    private readonly Channel<QueuedInvocation> _events = Channel.CreateUnbounded<QueuedInvocation>();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<Posted>> _answers = new();
    private int _nextRequests;

    private RuntimeApiEmulator(WebApplication app)
    {
        _app = app;
        Address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Authority;
    }

    /// <summary>What <c>AWS_LAMBDA_RUNTIME_API</c> would hold: <c>host:port</c>.</summary>
    public string Address { get; }

    public TaskCompletionSource<Posted> InitError { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>How many times the runtime asked for the next invocation.</summary>
    public int NextRequests => Volatile.Read(ref _nextRequests);

    /// <summary>Responses larger than this are refused with 413, as Lambda refuses a buffered response over 6 MB.</summary>
    public int MaxResponseBytes { get; set; } = 6 * 1024 * 1024 + 100;

    /// <summary>When set, <c>next</c> answers 500: "Container error. Non-recoverable state."</summary>
    public bool ContainerError { get; set; }

    public static async Task<RuntimeApiEmulator> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        RuntimeApiEmulator? emulator = null;
        app.MapGet("/2018-06-01/runtime/invocation/next", async context =>
        {
            Interlocked.Increment(ref emulator!._nextRequests);
            if (emulator.ContainerError)
            {
                context.Response.StatusCode = 500;
                return;
            }
            var next = await emulator._events.Reader.ReadAsync(context.RequestAborted);
            context.Response.Headers["Lambda-Runtime-Aws-Request-Id"] = next.Id;
            context.Response.Headers["Lambda-Runtime-Deadline-Ms"] = next.Deadline.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
            context.Response.Headers["Lambda-Runtime-Trace-Id"] = next.TraceId;
            context.Response.Headers["Lambda-Runtime-Invoked-Function-Arn"] = FunctionArn;
            await context.Response.Body.WriteAsync(next.Payload, context.RequestAborted);
        });
        app.MapPost("/2018-06-01/runtime/invocation/{id}/{kind}", async (HttpContext context, string id, string kind) =>
        {
            var posted = await Posted.ReadAsync(kind, context);
            var refused = kind == "response" && posted.Body.Length > emulator!.MaxResponseBytes;
            emulator!._answers.GetOrAdd(id, _ => new(TaskCreationOptions.RunContinuationsAsynchronously))
                .TrySetResult(posted with { Refused = refused });
            context.Response.StatusCode = refused ? 413 : 202;
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
        await _events.Writer.WriteAsync(new QueuedInvocation(id, payload, DateTimeOffset.UtcNow + (timeLeft ?? TimeSpan.FromSeconds(30)), traceId), TestContext.Current.CancellationToken);
        return await answer.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _events.Writer.TryComplete();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed record QueuedInvocation(string Id, byte[] Payload, DateTimeOffset Deadline, string TraceId);
}
