using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using SfAi.Hosting.Lambda.Tests.Support;

namespace SfAi.Hosting.Lambda.Tests;

/// <summary>Response streaming behind a Function URL (<c>RESPONSE_STREAM</c>): prelude, live chunks, trailers.</summary>
public sealed class StreamingTests : IAsyncLifetime
{
    private static readonly TimeSpan Gap = TimeSpan.FromMilliseconds(150);
    private RuntimeApiEmulator _runtime = null!;
    private LambdaTestApp _app = null!;

    public async ValueTask InitializeAsync()
    {
        _runtime = await RuntimeApiEmulator.StartAsync();
        _app = await LambdaTestApp.StartAsync(_runtime, streaming: true, routes: app =>
        {
            app.MapGet("/paced", async (HttpContext context) =>
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
            app.MapGet("/flushes-then-thinks", async (HttpContext context) =>
            {
                context.Response.ContentType = "text/event-stream";
                await context.Response.Body.FlushAsync(context.RequestAborted);
                await Task.Delay(Gap * 2, context.RequestAborted);
            });
            app.MapGet("/fails-midway", async (HttpContext context) =>
            {
                await context.Response.WriteAsync("data: one\n\n", context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                throw new InvalidOperationException("secret detail");
            });
            app.MapGet("/aborts-midway", async (HttpContext context) =>
            {
                await context.Response.WriteAsync("data: one\n\n", context.RequestAborted);
                context.Abort();
                await context.Response.WriteAsync("data: after the abort\n\n", CancellationToken.None);
            });
            app.MapGet("/fails-at-once", string () => throw new InvalidOperationException("nothing sent"));
            app.MapGet("/empty", () => Results.NoContent());
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _runtime.DisposeAsync();
    }

    private Task<Posted> GetAsync(string path) => _runtime.InvokeAsync(LambdaEvents.HttpApi("GET", path));

    [Fact]
    public async Task Response_is_posted_in_streaming_mode_with_the_http_integration_content_type()
    {
        var posted = await GetAsync("/paced");

        Assert.Equal("streaming", posted.Headers["Lambda-Runtime-Function-Response-Mode"]);
        Assert.Equal("application/vnd.awslambda.http-integration-response", posted.Headers["Content-Type"]);
        Assert.Equal("chunked", posted.Headers["Transfer-Encoding"]);
        Assert.Equal("Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body", posted.Headers["Trailer"]);
    }

    [Fact]
    public async Task Prelude_holds_status_headers_and_cookies_then_exactly_eight_NUL_bytes()
    {
        var streamed = StreamedResponse.Parse((await GetAsync("/paced")).Body);

        Assert.Equal(200, streamed.Prelude.GetProperty("statusCode").GetInt32());
        Assert.Equal("text/event-stream", streamed.Prelude.GetProperty("headers").GetProperty("Content-Type").GetString());
        Assert.False(streamed.Prelude.GetProperty("headers").TryGetProperty("Set-Cookie", out _));
        Assert.Equal("session=1", streamed.Prelude.GetProperty("cookies")[0].GetString());
        Assert.Equal("data: one\n\ndata: two\n\ndata: three\n\n", streamed.Text);
    }

    [Fact]
    public async Task Each_flushed_event_arrives_as_it_is_written()
    {
        var posted = await GetAsync("/paced");

        var dataReads = posted.Reads.Where(r => Encoding.UTF8.GetString(r.Data).Contains("data: ", StringComparison.Ordinal)).ToList();
        Assert.True(dataReads.Count >= 3, $"{dataReads.Count} reads carried events: they were not sent one by one");
        Assert.True(dataReads[^1].At - dataReads[0].At >= Gap * 1.5, "the events arrived together: the stream was buffered");
    }

    [Fact]
    public async Task Prelude_leaves_when_the_app_flushes_before_writing()
    {
        var posted = await GetAsync("/flushes-then-thinks");

        Assert.True(posted.EndedAt - posted.Reads[0].At >= Gap * 1.5, "the prelude waited for the end of the response");
        Assert.Empty(StreamedResponse.Parse(posted.Body).Body);
    }

    [Fact]
    public async Task Failure_after_the_start_is_reported_in_the_error_trailers()
    {
        var posted = await GetAsync("/fails-midway");

        Assert.Equal("data: one\n\n", StreamedResponse.Parse(posted.Body).Text);
        Assert.Equal("InvalidOperationException", posted.Trailers["Lambda-Runtime-Function-Error-Type"]);
        var error = JsonDocument.Parse(Convert.FromBase64String(posted.Trailers["Lambda-Runtime-Function-Error-Body"])).RootElement;
        Assert.Equal("InvalidOperationException", error.GetProperty("errorType").GetString());
        Assert.DoesNotContain("secret detail", error.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Abort_after_the_start_is_reported_in_the_error_trailers()
    {
        var posted = await GetAsync("/aborts-midway");

        Assert.Equal("data: one\n\n", StreamedResponse.Parse(posted.Body).Text);
        Assert.Equal("ResponseAborted", posted.Trailers["Lambda-Runtime-Function-Error-Type"]);
    }

    [Fact]
    public async Task Failure_before_the_start_is_answered_with_an_OpenAI_shaped_500()
    {
        var posted = await GetAsync("/fails-at-once");

        var streamed = StreamedResponse.Parse(posted.Body);
        Assert.Equal(500, streamed.Prelude.GetProperty("statusCode").GetInt32());
        Assert.Equal("internal_error", JsonDocument.Parse(streamed.Body).RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.Empty(posted.Trailers);
    }

    [Fact]
    public async Task Response_without_a_body_is_the_prelude_alone()
    {
        var posted = await GetAsync("/empty");

        var streamed = StreamedResponse.Parse(posted.Body);
        Assert.Equal(204, streamed.Prelude.GetProperty("statusCode").GetInt32());
        Assert.Empty(streamed.Body);
        Assert.Empty(posted.Trailers);
    }

    [Fact]
    public async Task Next_invocation_is_streamed_after_a_failure()
    {
        await GetAsync("/fails-midway");

        var posted = await GetAsync("/empty");

        Assert.Equal(204, StreamedResponse.Parse(posted.Body).Prelude.GetProperty("statusCode").GetInt32());
    }
}
