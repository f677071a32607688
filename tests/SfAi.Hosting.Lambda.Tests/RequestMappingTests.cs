using Microsoft.AspNetCore.Builder;
using SfAi.Hosting.Lambda.Tests.Support;

namespace SfAi.Hosting.Lambda.Tests;

/// <summary>What an HTTP API / Function URL event becomes in ASP.NET Core's <c>HttpContext</c>.</summary>
public sealed class RequestMappingTests : IAsyncLifetime
{
    private RuntimeApiEmulator _runtime = null!;
    private LambdaTestApp _app = null!;

    public async ValueTask InitializeAsync()
    {
        _runtime = await RuntimeApiEmulator.StartAsync();
        _app = await LambdaTestApp.StartAsync(_runtime, RequestEcho.Map);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _runtime.DisposeAsync();
    }

    private async Task<string?> SeenAsync(byte[] lambdaEvent, string field) =>
        RequestEcho.Seen(await _runtime.InvokeAsync(lambdaEvent)).GetProperty(field).GetString();

    [Fact]
    public async Task Method_comes_from_the_request_context()
    {
        Assert.Equal("PUT", await SeenAsync(LambdaEvents.Raw("dotnet-values-put-withbody-httpapi-v2-request.json"), "method"));
    }

    [Fact]
    public async Task Scheme_is_https()
    {
        Assert.Equal("https", await SeenAsync(LambdaEvents.HttpApi("GET", "/x"), "scheme"));
    }

    [Fact]
    public async Task Host_comes_from_the_host_header()
    {
        Assert.Equal("uo9pe23ec6.execute-api.us-east-1.amazonaws.com", await SeenAsync(LambdaEvents.HttpApi("GET", "/x"), "host"));
    }

    [Fact]
    public async Task Named_stage_prefix_becomes_the_path_base()
    {
        var seen = RequestEcho.Seen(await _runtime.InvokeAsync(LambdaEvents.Raw("dotnet-values-get-all-httpapi-v2-with-stage.json")));

        Assert.Equal("/beta", seen.GetProperty("pathBase").GetString());
        Assert.Equal("/api/values", seen.GetProperty("path").GetString());
    }

    [Fact]
    public async Task Default_stage_leaves_the_path_whole()
    {
        var seen = RequestEcho.Seen(await _runtime.InvokeAsync(LambdaEvents.HttpApi("GET", "/beta/api/values")));

        Assert.Equal("", seen.GetProperty("pathBase").GetString());
        Assert.Equal("/beta/api/values", seen.GetProperty("path").GetString());
    }

    [Fact]
    public async Task Escaped_slash_in_the_raw_path_stays_escaped()
    {
        var seen = RequestEcho.Seen(await _runtime.InvokeAsync(LambdaEvents.Raw("dotnet-rawtarget-escaped-slash-in-path-httpapi-v2.json")));

        Assert.Equal("/foo%2Fbar", seen.GetProperty("path").GetString());
        Assert.Equal("/foo%2Fbar", seen.GetProperty("rawTarget").GetString());
    }

    [Fact]
    public async Task Raw_query_string_is_passed_as_sent_without_a_second_decoding()
    {
        var seen = await SeenAsync(LambdaEvents.HttpApi("GET", "/x", query: "q=a%2Bb%2526c&r=%20"), "queryString");

        Assert.Equal("?q=a%2Bb%2526c&r=%20", seen);
    }

    [Fact]
    public async Task Repeated_query_parameter_keeps_every_value()
    {
        Assert.Equal("value1|value2", await SeenAsync(LambdaEvents.Raw("dotnet-values-get-querystring-httpapi-v2-mv-request.json"), "mv-test"));
    }

    [Fact]
    public async Task Cookies_array_becomes_one_cookie_header()
    {
        Assert.Equal("TestCookie1=TestValue1; TestCookie2=TestValue2; TestCookie3=TestValue3", await SeenAsync(LambdaEvents.Raw("dotnet-cookies-get-multiple-httpapi-v2-request.json"), "cookie"));
    }

    [Fact]
    public async Task Comma_joined_header_values_arrive_as_sent()
    {
        Assert.Equal("gzip, deflate", await SeenAsync(LambdaEvents.HttpApi("GET", "/x"), "accept-encoding"));
    }

    [Fact]
    public async Task Source_ip_becomes_the_remote_address()
    {
        var lambdaEvent = LambdaEvents.HttpApi("GET", "/x", change: e => e["requestContext"]!["http"]!["sourceIp"] = "203.0.113.7");

        Assert.Equal("203.0.113.7", await SeenAsync(lambdaEvent, "remoteIp"));
    }

    [Fact]
    public async Task Text_body_is_read_with_its_length()
    {
        var seen = RequestEcho.Seen(await _runtime.InvokeAsync(LambdaEvents.HttpApi("POST", "/x", """{"a":"é"}""")));

        Assert.Equal("""{"a":"é"}""", seen.GetProperty("body").GetString());
        Assert.Equal("10", seen.GetProperty("contentLength").GetString());
    }

    [Fact]
    public async Task Base64_body_is_decoded()
    {
        Assert.Equal("""{"a":1}""", await SeenAsync(LambdaEvents.HttpApi("POST", "/x", """{"a":1}""", base64: true), "body"));
    }

    [Fact]
    public async Task Body_binds_to_a_minimal_API_parameter()
    {
        await using var runtime = await RuntimeApiEmulator.StartAsync();
        await using var app = await LambdaTestApp.StartAsync(runtime, app => app.MapPost("/greet", (Greeting greeting) => $"hello {greeting.Name}"));

        var posted = await runtime.InvokeAsync(LambdaEvents.HttpApi("POST", "/greet", """{"name":"Ada"}"""));

        Assert.Equal("hello Ada", posted.Json.GetProperty("body").GetString());
    }

    [Fact]
    public async Task JWT_authorizer_claims_become_the_user()
    {
        var lambdaEvent = LambdaEvents.Changed("go-apigw-v2-request-jwt-authorizer.json", e => e["body"] = null);

        Assert.Equal("value1", await SeenAsync(lambdaEvent, "user"));
    }

    [Fact]
    public async Task Request_without_an_authorizer_has_no_user()
    {
        Assert.Null(await SeenAsync(LambdaEvents.HttpApi("GET", "/x"), "user"));
    }

    [Fact]
    public async Task Invocation_is_a_feature_of_the_request()
    {
        var seen = RequestEcho.Seen(await _runtime.InvokeAsync(LambdaEvents.HttpApi("GET", "/x"), traceId: "Root=1-abc-def"));

        Assert.Equal(seen.GetProperty("requestId").GetString(), seen.GetProperty("traceIdentifier").GetString());
        Assert.Equal("Root=1-abc-def", seen.GetProperty("traceId").GetString());
        Assert.Equal(RuntimeApiEmulator.FunctionArn, seen.GetProperty("functionArn").GetString());
        Assert.InRange(DateTimeOffset.Parse(seen.GetProperty("deadline").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
            DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddSeconds(31));
    }

    [Fact]
    public async Task Function_URL_event_is_served_like_an_HTTP_API_event()
    {
        var seen = RequestEcho.Seen(await _runtime.InvokeAsync(LambdaEvents.Raw("go-lambda-urls-request.json")));

        Assert.Equal("POST", seen.GetProperty("method").GetString());
        Assert.Equal("/my/path", seen.GetProperty("path").GetString());
        Assert.Equal("Hello from client!", seen.GetProperty("body").GetString());
    }

    public sealed record Greeting(string Name);
}
