using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using SfAi.Hosting.Lambda.Tests.Support;

namespace SfAi.Hosting.Lambda.Tests;

/// <summary>What the app's response becomes behind HTTP API: one payload 2.0 JSON document.</summary>
public sealed class ResponseMappingTests : IAsyncLifetime
{
    private static readonly byte[] Binary = [0, 1, 2, 255];
    private RuntimeApiEmulator _runtime = null!;
    private LambdaTestApp _app = null!;

    public async ValueTask InitializeAsync()
    {
        _runtime = await RuntimeApiEmulator.StartAsync();
        _app = await LambdaTestApp.StartAsync(_runtime, app =>
        {
            app.MapGet("/created", () => Results.Text("made", statusCode: 201));
            app.MapGet("/cookies", (HttpContext context) =>
            {
                context.Response.Cookies.Append("a", "1");
                context.Response.Cookies.Append("b", "2");
                return "ok";
            });
            app.MapGet("/multi", (HttpContext context) =>
            {
                context.Response.Headers.Append("x-multi", "a");
                context.Response.Headers.Append("x-multi", "b");
                return "ok";
            });
            app.MapGet("/json", () => Results.Json(new { word = "é" }));
            app.MapGet("/events", () => Results.Text("data: one\n\n", "text/event-stream"));
            app.MapGet("/binary", () => Results.Bytes(Binary, "application/octet-stream"));
            app.MapGet("/gzipped-json", (HttpContext context) =>
            {
                context.Response.Headers.ContentEncoding = "gzip";
                return Results.Bytes(Binary, "application/json");
            });
            app.MapGet("/latin1-text", () => Results.Bytes([0x63, 0x61, 0x66, 0xE9], "text/plain; charset=iso-8859-1"));
            app.MapGet("/empty", () => Results.NoContent());
            app.MapGet("/documented", (HttpContext context) =>
            {
                context.Response.Headers["My-Custom-Header"] = "Custom Value";
                context.Response.Headers.Append("Set-Cookie", "Cookie_1=Value1; Expires=21 Oct 2021 07:48 GMT");
                context.Response.Headers.Append("Set-Cookie", "Cookie_2=Value2; Max-Age=78000");
                return Results.Text("{ \"message\": \"Hello, world!\" }", "application/json", statusCode: 201);
            });
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _runtime.DisposeAsync();
    }

    private static List<string?> Strings(JsonElement array) => [.. array.EnumerateArray().Select(item => item.GetString())];

    private Task<Posted> GetAsync(string path) => _runtime.InvokeAsync(LambdaEvents.HttpApi("GET", path));

    [Fact]
    public async Task Response_has_the_documented_Function_URL_response_shape()
    {
        var documented = JsonDocument.Parse(LambdaEvents.Raw("go-lambda-urls-response.json")).RootElement;

        var posted = (await GetAsync("/documented")).Json;

        Assert.Equal(documented.GetProperty("statusCode").GetInt32(), posted.GetProperty("statusCode").GetInt32());
        foreach (var header in documented.GetProperty("headers").EnumerateObject())
        {
            Assert.Equal(header.Value.GetString(), posted.GetProperty("headers").GetProperty(header.Name).GetString());
        }
        Assert.Equal(Strings(documented.GetProperty("cookies")), Strings(posted.GetProperty("cookies")));
        Assert.Equal(documented.GetProperty("body").GetString(), posted.GetProperty("body").GetString());
        Assert.Equal(documented.GetProperty("isBase64Encoded").GetBoolean(), posted.GetProperty("isBase64Encoded").GetBoolean());
    }

    [Fact]
    public async Task Status_code_is_the_apps()
    {
        var posted = await GetAsync("/created");

        Assert.Equal(201, posted.Json.GetProperty("statusCode").GetInt32());
    }

    [Fact]
    public async Task Set_cookie_headers_become_the_cookies_array()
    {
        var posted = await GetAsync("/cookies");

        var cookies = posted.Json.GetProperty("cookies").EnumerateArray().Select(c => c.GetString()).ToList();
        Assert.Equal(["a=1; path=/", "b=2; path=/"], cookies);
        Assert.False(posted.Json.GetProperty("headers").TryGetProperty("Set-Cookie", out _));
    }

    [Fact]
    public async Task Header_with_several_values_is_joined_with_commas()
    {
        var posted = await GetAsync("/multi");

        Assert.Equal("a,b", posted.Json.GetProperty("headers").GetProperty("x-multi").GetString());
    }

    [Fact]
    public async Task JSON_body_is_UTF8_text()
    {
        var posted = await GetAsync("/json");

        Assert.False(posted.Json.GetProperty("isBase64Encoded").GetBoolean());
        Assert.Equal("""{"word":"é"}""", posted.Json.GetProperty("body").GetString());
    }

    [Fact]
    public async Task Text_body_is_escaped_only_as_JSON_requires()
    {
        var posted = await GetAsync("/json");

        Assert.Contains(""""body":"{\"word\":\"é\"}"""", Encoding.UTF8.GetString(posted.Body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Event_stream_body_is_text()
    {
        var posted = await GetAsync("/events");

        Assert.False(posted.Json.GetProperty("isBase64Encoded").GetBoolean());
        Assert.Equal("data: one\n\n", posted.Json.GetProperty("body").GetString());
    }

    [Fact]
    public async Task Binary_body_is_base64()
    {
        var posted = await GetAsync("/binary");

        Assert.True(posted.Json.GetProperty("isBase64Encoded").GetBoolean());
        Assert.Equal(Binary, Convert.FromBase64String(posted.Json.GetProperty("body").GetString()!));
    }

    [Fact]
    public async Task Compressed_body_is_base64_whatever_its_type()
    {
        var posted = await GetAsync("/gzipped-json");

        Assert.True(posted.Json.GetProperty("isBase64Encoded").GetBoolean());
        Assert.Equal(Binary, Convert.FromBase64String(posted.Json.GetProperty("body").GetString()!));
        Assert.Equal("gzip", posted.Json.GetProperty("headers").GetProperty("Content-Encoding").GetString());
    }

    [Fact]
    public async Task Text_body_that_is_not_UTF8_is_base64_rather_than_mangled()
    {
        var posted = await GetAsync("/latin1-text");

        Assert.True(posted.Json.GetProperty("isBase64Encoded").GetBoolean());
        Assert.Equal("café", Encoding.Latin1.GetString(Convert.FromBase64String(posted.Json.GetProperty("body").GetString()!)));
    }

    [Fact]
    public async Task Empty_response_has_an_empty_body()
    {
        var posted = await GetAsync("/empty");

        Assert.Equal(204, posted.Json.GetProperty("statusCode").GetInt32());
        Assert.Equal("", posted.Json.GetProperty("body").GetString());
    }
}
