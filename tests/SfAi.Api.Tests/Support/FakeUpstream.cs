using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SfAi.Api.Tests.Support;

/// <summary>
/// A fake upstream (OpenAI or Anthropic) on 127.0.0.1: it records each request and answers as the test says, typically by
/// replaying a captured response from <c>Fixtures/</c>.
/// </summary>
public sealed class FakeUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeUpstream(WebApplication app)
    {
        _app = app;
        BaseUrl = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
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
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        FakeUpstream? fake = null;
        app.MapPost("/v1/{**path}", async context =>
        {
            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            fake!.Requests.Enqueue(new RecordedRequest(
                context.Request.Path,
                body,
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
            context.RequestAborted.Register(() => fake.UpstreamCancelled.TrySetResult());
            await fake.Respond(context);
        });
        await app.StartAsync(TestContext.Current.CancellationToken);
        fake = new FakeUpstream(app);
        if (respond is not null)
        {
            fake.Respond = respond;
        }
        return fake;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public sealed record RecordedRequest(string Path, string Body, IReadOnlyDictionary<string, string> Headers)
{
    public JsonObject Json => JsonNode.Parse(Body)!.AsObject();
}
