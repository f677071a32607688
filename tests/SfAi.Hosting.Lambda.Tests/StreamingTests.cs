using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SfAi.Hosting.Lambda.Tests.Support;

namespace SfAi.Hosting.Lambda.Tests;

/// <summary>Response streaming behind a Function URL (<c>RESPONSE_STREAM</c>): prelude, live chunks, trailers.</summary>
public sealed class StreamingTests : IAsyncLifetime
{
    private static readonly TimeSpan Gap = TimeSpan.FromMilliseconds(150);
    private RuntimeApiEmulator _runtime = null!;
    private WebApplication _app = null!;

    public async ValueTask InitializeAsync()
    {
        _runtime = await RuntimeApiEmulator.StartAsync();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.UseLambdaHosting(options =>
        {
            options.RuntimeApi = _runtime.Address;
            options.ResponseStreaming = true;
        });
        _app = builder.Build();
        _app.MapGet("/paced", async (HttpContext context) =>
        {
            context.Response.ContentType = "text/event-stream";
            context.Response.Headers.Append("Set-Cookie", "session=1");
            foreach (var word in new[] { "one", "two", "three" })
            {
                await context.Response.WriteAsync($"data: {word}\n\n", context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                await Task.Delay(Gap, context.RequestAborted);
            }
        });
        _app.MapGet("/fails-midway", async (HttpContext context) =>
        {
            await context.Response.WriteAsync("data: one\n\n", context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            throw new InvalidOperationException("broke after the first event");
        });
        _app.MapGet("/fails-at-once", string () => throw new InvalidOperationException("nothing sent"));
        await _app.StartAsync(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _runtime.DisposeAsync();
    }

    private static (JsonElement Prelude, string Body) Split(byte[] posted)
    {
        var delimiter = posted.AsSpan().IndexOf(new byte[8]);
        Assert.True(delimiter > 0, "no 8-NUL delimiter after the prelude");
        return (JsonDocument.Parse(posted.AsMemory(0, delimiter)).RootElement, Encoding.UTF8.GetString(posted[(delimiter + 8)..]));
    }

    [Fact]
    public async Task Posts_in_streaming_mode_with_the_http_integration_content_type()
    {
        var posted = await _runtime.InvokeAsync(LambdaEvents.HttpApi("GET", "/paced"));

        Assert.Equal("streaming", posted.Headers["Lambda-Runtime-Function-Response-Mode"]);
        Assert.Equal("application/vnd.awslambda.http-integration-response", posted.Headers["Content-Type"]);
        Assert.Equal("chunked", posted.Headers["Transfer-Encoding"]);
    }

    [Fact]
    public async Task Sends_the_prelude_with_status_headers_and_cookies_then_eight_NUL_bytes()
    {
        var posted = await _runtime.InvokeAsync(LambdaEvents.HttpApi("GET", "/paced"));

        var (prelude, body) = Split(posted.Body);
        Assert.Equal(200, prelude.GetProperty("statusCode").GetInt32());
        Assert.Equal("text/event-stream", prelude.GetProperty("headers").GetProperty("Content-Type").GetString());
        Assert.Equal("session=1", prelude.GetProperty("cookies")[0].GetString());
        Assert.Equal("data: one\n\ndata: two\n\ndata: three\n\n", body);
    }

    [Fact]
    public async Task Delivers_each_flushed_event_as_it_is_written()
    {
        var posted = await _runtime.InvokeAsync(LambdaEvents.HttpApi("GET", "/paced"));

        var dataReads = posted.Reads.Where(r => Encoding.UTF8.GetString(r.Data).Contains("data: ", StringComparison.Ordinal)).ToList();
        Assert.True(dataReads.Count >= 3, $"{dataReads.Count} reads carried events: they were not sent one by one");
        Assert.True(dataReads[^1].At - dataReads[0].At >= Gap * 1.5, "the events arrived together: the stream was buffered");
    }

    [Fact]
    public async Task Reports_a_failure_after_the_start_in_the_error_trailers()
    {
        var posted = await _runtime.InvokeAsync(LambdaEvents.HttpApi("GET", "/fails-midway"));

        Assert.Equal("data: one\n\n", Split(posted.Body).Body);
        Assert.Equal("InvalidOperationException", posted.Trailers["Lambda-Runtime-Function-Error-Type"]);
        var error = JsonDocument.Parse(Convert.FromBase64String(posted.Trailers["Lambda-Runtime-Function-Error-Body"])).RootElement;
        Assert.Equal("InvalidOperationException", error.GetProperty("errorType").GetString());
    }

    [Fact]
    public async Task Answers_a_failure_before_the_start_with_an_OpenAI_shaped_500()
    {
        var posted = await _runtime.InvokeAsync(LambdaEvents.HttpApi("GET", "/fails-at-once"));

        var (prelude, body) = Split(posted.Body);
        Assert.Equal(500, prelude.GetProperty("statusCode").GetInt32());
        Assert.Equal("internal_error", JsonDocument.Parse(body).RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.Empty(posted.Trailers);
    }
}
