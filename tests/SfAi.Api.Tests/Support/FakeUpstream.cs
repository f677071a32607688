using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace SfAi.Api.Tests.Support;

/// <summary>
/// A fake upstream (OpenAI or Anthropic) on 127.0.0.1: it records each request and answers as the test says, typically by
/// replaying a captured response from <c>Fixtures/</c>.
/// </summary>
public sealed class FakeUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeUpstream(WebApplication app, Uri address)
    {
        _app = app;
        BaseUrl = address;
    }

    public Uri BaseUrl { get; }

    /// <summary>The base URL a model map gives for this fake (<c>…/v1</c>).</summary>
    public string V1 => new Uri(BaseUrl, "/v1").AbsoluteUri;

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>Completes when a request's <c>RequestAborted</c> fires: the gateway cancelled its upstream call.</summary>
    public TaskCompletionSource UpstreamCancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Func<HttpContext, Task> Respond { get; set; } = context => Task.CompletedTask;

    public RecordedRequest LastRequest => Requests.Last();

    public static async Task<FakeUpstream> StartAsync(Func<HttpContext, Task>? respond = null)
    {
        var app = LoopbackApp.Create();
        FakeUpstream? fake = null;
        app.Map("/v1/{**path}", async context =>
        {
            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            fake!.Requests.Enqueue(new RecordedRequest(
                context.Request.Path + context.Request.QueryString,
                body,
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                context.Connection.Id,
                context.Request.Method));
            context.RequestAborted.Register(() => fake.UpstreamCancelled.TrySetResult());
            await fake.Respond(context);
        });
        var address = await LoopbackApp.StartAsync(app);
        fake = new FakeUpstream(app, address);
        if (respond is not null)
        {
            fake.Respond = respond;
        }
        return fake;
    }

    public ValueTask DisposeAsync() => LoopbackApp.StopAsync(_app);
}

public sealed record RecordedRequest(string Path, string Body, IReadOnlyDictionary<string, string> Headers, string ConnectionId = "", string Method = "POST")
{
    public JsonObject Json => JsonNode.Parse(Body)!.AsObject();
}
