using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using SfAi.Hosting.Lambda.Tests.Support;

namespace SfAi.Hosting.Lambda.Tests;

/// <summary>The Runtime API loop around the app: deadlines, failures, events that are not HTTP events.</summary>
public sealed class InvocationTests : IAsyncLifetime
{
    private RuntimeApiEmulator _runtime = null!;
    private LambdaTestApp _app = null!;

    public async ValueTask InitializeAsync()
    {
        _runtime = await RuntimeApiEmulator.StartAsync();
        _app = await LambdaTestApp.StartAsync(_runtime, app =>
        {
            app.MapGet("/ok", () => "ok");
            app.MapGet("/slow", async (HttpContext context) =>
            {
                try
                {
                    await Task.Delay(Timeout.Infinite, context.RequestAborted);
                    return Results.Text("never");
                }
                catch (OperationCanceledException)
                {
                    return Results.Text("deadline", statusCode: 504);
                }
            });
            app.MapGet("/throw", string () => throw new InvalidOperationException("secret detail"));
            app.MapGet("/aborts-midway", async (HttpContext context) =>
            {
                await context.Response.WriteAsync("half of it", context.RequestAborted);
                context.Abort();
            });
            app.MapGet("/huge", () => Results.Text(new string('x', 4096)));
            app.MapGet("/throws-before-flushing", (HttpContext context) =>
            {
                context.Response.ContentType = "text/plain";
                context.Response.BodyWriter.Write("not flushed"u8);
                throw new InvalidOperationException("failed before the flush");
            });
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _runtime.DisposeAsync();
    }

    private static JsonElement Error(Posted posted) =>
        JsonDocument.Parse(posted.Json.GetProperty("body").GetString()!).RootElement.GetProperty("error");

    [Fact]
    public async Task Request_is_aborted_at_the_invocation_deadline()
    {
        var posted = await _runtime.InvokeAsync(LambdaEvents.HttpApi("GET", "/slow"), timeLeft: TimeSpan.FromMilliseconds(300));

        Assert.Equal(504, posted.Json.GetProperty("statusCode").GetInt32());
        Assert.Equal("deadline", posted.Json.GetProperty("body").GetString());
    }

    [Fact]
    public async Task Exception_from_the_app_becomes_a_500_in_OpenAI_error_shape()
    {
        var posted = await _runtime.InvokeAsync(LambdaEvents.HttpApi("GET", "/throw"));

        Assert.Equal("response", posted.Kind);
        Assert.Equal(500, posted.Json.GetProperty("statusCode").GetInt32());
        Assert.Equal("application/json", posted.Json.GetProperty("headers").GetProperty("Content-Type").GetString());
        var error = Error(posted);
        Assert.Equal("server_error", error.GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Null, error.GetProperty("param").ValueKind);
        Assert.Equal("internal_error", error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Exception_detail_stays_out_of_the_500()
    {
        var posted = await _runtime.InvokeAsync(LambdaEvents.HttpApi("GET", "/throw"));

        var body = posted.Json.GetProperty("body").GetString()!;
        Assert.DoesNotContain("secret detail", body, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", body, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exception_leaves_nothing_the_app_had_written_in_the_500()
    {
        var posted = await _runtime.InvokeAsync(LambdaEvents.HttpApi("GET", "/throws-before-flushing"));

        Assert.Equal(500, posted.Json.GetProperty("statusCode").GetInt32());
        Assert.Equal("internal_error", Error(posted).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Next_invocation_is_served_after_an_exception()
    {
        await _runtime.InvokeAsync(LambdaEvents.HttpApi("GET", "/throw"));

        var posted = await _runtime.InvokeAsync(LambdaEvents.HttpApi("GET", "/ok"));

        Assert.Equal(200, posted.Json.GetProperty("statusCode").GetInt32());
        Assert.Equal("ok", posted.Json.GetProperty("body").GetString());
    }

    [Fact]
    public async Task Response_the_app_aborted_becomes_a_500()
    {
        var posted = await _runtime.InvokeAsync(LambdaEvents.HttpApi("GET", "/aborts-midway"));

        Assert.Equal(500, posted.Json.GetProperty("statusCode").GetInt32());
        Assert.Equal("internal_error", Error(posted).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Event_that_is_not_JSON_is_reported_as_an_invocation_error()
    {
        var posted = await _runtime.InvokeAsync(Encoding.UTF8.GetBytes("not json"));

        Assert.Equal("error", posted.Kind);
        Assert.Equal("InvalidEvent", posted.Headers["Lambda-Runtime-Function-Error-Type"]);
        Assert.Equal("application/vnd.aws.lambda.error+json", posted.Headers["Content-Type"]);
        Assert.Equal("InvalidEvent", posted.Json.GetProperty("errorType").GetString());
        Assert.False(string.IsNullOrEmpty(posted.Json.GetProperty("errorMessage").GetString()));
        Assert.Equal(JsonValueKind.Array, posted.Json.GetProperty("stackTrace").ValueKind);
    }

    [Fact]
    public async Task Event_that_is_not_an_HTTP_event_is_reported_as_an_invocation_error()
    {
        var posted = await _runtime.InvokeAsync(Encoding.UTF8.GetBytes("""{"Records":[{"eventSource":"aws:sqs"}]}"""));

        Assert.Equal("error", posted.Kind);
        Assert.Equal("InvalidEvent", posted.Json.GetProperty("errorType").GetString());
    }

    [Fact]
    public async Task Body_that_claims_base64_but_is_not_is_reported_as_an_invocation_error()
    {
        var posted = await _runtime.InvokeAsync(LambdaEvents.Raw("dotnet-http-api-v2-request.json"));

        Assert.Equal("error", posted.Kind);
        Assert.Contains("base64", posted.Json.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Next_invocation_is_served_after_an_invalid_event()
    {
        await _runtime.InvokeAsync(Encoding.UTF8.GetBytes("[]"));

        var posted = await _runtime.InvokeAsync(LambdaEvents.HttpApi("GET", "/ok"));

        Assert.Equal(200, posted.Json.GetProperty("statusCode").GetInt32());
    }

    [Fact]
    public async Task Event_starting_with_a_UTF8_BOM_is_read()
    {
        var raw = LambdaEvents.Raw("dotnet-cookies-get-multiple-httpapi-v2-request.json");
        Assert.Equal([0xEF, 0xBB, 0xBF], raw[..3]);

        var posted = await _runtime.InvokeAsync(raw);

        Assert.Equal("response", posted.Kind);
        Assert.Equal(404, posted.Json.GetProperty("statusCode").GetInt32());
    }

    [Fact]
    public async Task Next_invocation_is_served_after_the_Runtime_API_refuses_a_response()
    {
        _runtime.MaxResponseBytes = 2048;
        var refused = await _runtime.InvokeAsync(LambdaEvents.HttpApi("GET", "/huge"));
        Assert.True(refused.Refused);

        var posted = await _runtime.InvokeAsync(LambdaEvents.HttpApi("GET", "/ok"));

        Assert.Equal(200, posted.Json.GetProperty("statusCode").GetInt32());
    }
}
