using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SfAi.Hosting.Lambda.Tests.Support;

namespace SfAi.Hosting.Lambda.Tests;

/// <summary>The adapter with a small app of its own: what an event carries in, and what a response carries out.</summary>
public sealed class AdapterTests : IAsyncLifetime
{
    private RuntimeApiEmulator _runtime = null!;
    private WebApplication _app = null!;

    public async ValueTask InitializeAsync()
    {
        _runtime = await RuntimeApiEmulator.StartAsync();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.UseLambdaHosting(options => options.RuntimeApi = _runtime.Address);
        _app = builder.Build();
        _app.MapGet("/echo-request", (HttpContext context) => Results.Text(string.Join("|",
            context.Request.Method, context.Request.PathBase, context.Request.Path, context.Request.QueryString,
            context.Request.Headers.Cookie.ToString(), context.Connection.RemoteIpAddress?.ToString(), context.Request.Scheme,
            context.Features.Get<ILambdaInvocationFeature>()?.RequestId is { Length: > 0 } ? "lambda" : "none")));
        _app.MapGet("/claims", (HttpContext context) => Results.Text(context.User.FindFirst("claim1")?.Value ?? "(none)"));
        _app.MapGet("/trace", () => Results.Text(Environment.GetEnvironmentVariable("_X_AMZN_TRACE_ID") ?? "(none)"));
        _app.MapGet("/cookies", (HttpContext context) =>
        {
            context.Response.Cookies.Append("a", "1");
            context.Response.Cookies.Append("b", "2");
            return Results.Text("ok");
        });
        _app.MapGet("/binary", () => Results.Bytes(new byte[] { 0, 1, 2, 255 }, "application/octet-stream"));
        _app.MapGet("/slow", async (HttpContext context) =>
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
        _app.MapGet("/throw", string () => throw new InvalidOperationException("secret detail"));
        await _app.StartAsync(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _runtime.DisposeAsync();
    }

    private static string Body(Posted posted) => posted.Json.GetProperty("body").GetString()!;

    [Fact]
    public async Task Maps_method_path_query_cookies_source_ip_and_scheme_without_double_decoding()
    {
        var posted = await _runtime.InvokeAsync(LambdaEvents.HttpApi("GET", "/echo-request", query: "q=a%2Bb&q=c", change: e =>
        {
            e["cookies"] = new System.Text.Json.Nodes.JsonArray("s=1", "t=2");
            e["requestContext"]!["http"]!["sourceIp"] = "203.0.113.7";
        }));

        Assert.Equal("GET||/echo-request|?q=a%2Bb&q=c|s=1; t=2|203.0.113.7|https|lambda", Body(posted));
    }

    [Fact]
    public async Task Returns_set_cookie_headers_as_cookies()
    {
        var posted = await _runtime.InvokeAsync(LambdaEvents.HttpApi("GET", "/cookies"));

        var cookies = posted.Json.GetProperty("cookies").EnumerateArray().Select(c => c.GetString()).ToList();
        Assert.Equal(2, cookies.Count);
        Assert.StartsWith("a=1", cookies[0], StringComparison.Ordinal);
        Assert.False(posted.Json.GetProperty("headers").TryGetProperty("Set-Cookie", out _));
    }

    [Fact]
    public async Task Encodes_a_binary_body_in_base64()
    {
        var posted = await _runtime.InvokeAsync(LambdaEvents.HttpApi("GET", "/binary"));

        Assert.True(posted.Json.GetProperty("isBase64Encoded").GetBoolean());
        Assert.Equal(new byte[] { 0, 1, 2, 255 }, Convert.FromBase64String(Body(posted)));
    }

    [Fact]
    public async Task Makes_JWT_authorizer_claims_the_user()
    {
        var jwtEvent = Encoding.UTF8.GetString(LambdaEvents.Raw("go-apigw-v2-request-jwt-authorizer.json")).Replace("\"/my/path\"", "\"/claims\"", StringComparison.Ordinal);

        var posted = await _runtime.InvokeAsync(Encoding.UTF8.GetBytes(jwtEvent));

        Assert.Equal("value1", Body(posted));
    }

    [Fact]
    public async Task Cancels_the_request_at_the_invocation_deadline()
    {
        var posted = await _runtime.InvokeAsync(LambdaEvents.HttpApi("GET", "/slow"), timeLeft: TimeSpan.FromMilliseconds(300));

        Assert.Equal(504, posted.Json.GetProperty("statusCode").GetInt32());
        Assert.Equal("deadline", Body(posted));
    }

    [Fact]
    public async Task Turns_an_escaped_exception_into_an_OpenAI_shaped_500_without_its_detail()
    {
        var posted = await _runtime.InvokeAsync(LambdaEvents.HttpApi("GET", "/throw"));

        Assert.Equal("response", posted.Kind);
        Assert.Equal(500, posted.Json.GetProperty("statusCode").GetInt32());
        var error = JsonDocument.Parse(Body(posted)).RootElement.GetProperty("error");
        Assert.Equal("internal_error", error.GetProperty("code").GetString());
        Assert.DoesNotContain("secret detail", Body(posted), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reports_a_body_that_claims_base64_but_is_not_as_an_invalid_event()
    {
        var posted = await _runtime.InvokeAsync(LambdaEvents.Raw("dotnet-http-api-v2-request.json"));

        Assert.Equal("error", posted.Kind);
        Assert.Equal("InvalidEvent", posted.Json.GetProperty("errorType").GetString());
    }

    [Fact]
    public async Task Sets_the_trace_id_of_the_invocation()
    {
        var posted = await _runtime.InvokeAsync(LambdaEvents.HttpApi("GET", "/trace"), traceId: "Root=1-abc-def;Parent=123;Sampled=1");

        Assert.Equal("Root=1-abc-def;Parent=123;Sampled=1", Body(posted));
    }

    [Fact]
    public async Task Reads_the_BOM_prefixed_captured_events()
    {
        var posted = await _runtime.InvokeAsync(LambdaEvents.Raw("dotnet-cookies-get-multiple-httpapi-v2-request.json"));

        Assert.Equal("response", posted.Kind);
        Assert.Equal(404, posted.Json.GetProperty("statusCode").GetInt32());
    }
}
