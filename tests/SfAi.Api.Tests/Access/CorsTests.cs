using System.Net;
using SfAi.Api.Tests.Support;

namespace SfAi.Api.Tests.Access;

/// <summary>Real preflight and simple requests against the <c>ALLOW_ORIGINS</c> policy.</summary>
public sealed class CorsTests : IAsyncLifetime
{
    private TestGateway _gateway = null!;

    public async ValueTask InitializeAsync() =>
        _gateway = await TestGateway.StartAsync(ModelMaps.EchoOnly, "--ALLOW_ORIGINS=https://app.example.com, https://admin.example.com");

    public async ValueTask DisposeAsync() => await _gateway.DisposeAsync();

    private async Task<HttpResponseMessage> PreflightAsync(string origin, string headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "/v1/chat/completions");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", headers);
        return await _gateway.Http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Answers_a_preflight_from_an_allowed_origin_with_the_SDK_headers()
    {
        var response = await PreflightAsync("https://app.example.com", "authorization,content-type,x-api-key,apikey,x-stainless-os,x-stainless-retry-count");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("https://app.example.com", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        var allowed = string.Join(",", response.Headers.GetValues("Access-Control-Allow-Headers")).ToLowerInvariant();
        foreach (var header in new[] { "authorization", "content-type", "x-api-key", "apikey", "x-stainless-os", "x-stainless-retry-count" })
        {
            Assert.Contains(header, allowed, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Gives_a_disallowed_origin_no_allow_origin_header()
    {
        var response = await PreflightAsync("https://evil.example.net", "authorization,content-type");

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Refuses_a_header_outside_the_list_in_preflight()
    {
        var response = await PreflightAsync("https://app.example.com", "x-custom-secret");

        Assert.False(response.Headers.Contains("Access-Control-Allow-Headers")
            && string.Join(",", response.Headers.GetValues("Access-Control-Allow-Headers")).Contains("x-custom-secret", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Marks_an_allowed_origin_on_the_actual_response_and_exposes_the_request_id()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent("""{"model":"echo","messages":[{"role":"user","content":"hi"}]}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Origin", "https://admin.example.com");

        var response = await _gateway.Http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal("https://admin.example.com", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("x-request-id", string.Join(",", response.Headers.GetValues("Access-Control-Expose-Headers")), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Sends_no_CORS_headers_when_no_origin_is_configured()
    {
        await using var gateway = await TestGateway.StartAsync(ModelMaps.EchoOnly);
        using var request = new HttpRequestMessage(HttpMethod.Options, "/v1/chat/completions");
        request.Headers.Add("Origin", "https://app.example.com");
        request.Headers.Add("Access-Control-Request-Method", "POST");

        var response = await gateway.Http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }
}
