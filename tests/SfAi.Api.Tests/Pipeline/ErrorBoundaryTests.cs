using System.Net;
using SfAi.Api.Tests.Support;

namespace SfAi.Api.Tests.Pipeline;

/// <summary>Every failure, whichever step throws it, is logged once and answered in the route's protocol by the one error boundary.</summary>
public sealed class ErrorBoundaryTests
{
    [Fact]
    public async Task An_unknown_url_is_a_404_in_OpenAIs_shape_logged_once_with_its_request_id()
    {
        await using var gateway = await TestGateway.StartAsync(ModelMaps.EchoOnly, "--AUTH_MODE=none");

        var response = await Post.JsonAsync(gateway.Http, Post.Hello, "/v1/nothing-here");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var error = await Post.ErrorAsync(response);
        Assert.Equal("unknown_url", error.GetProperty("code").GetString());
        Assert.Contains("POST /v1/chat/completions", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        var logged = Assert.Single(await gateway.Logs.WaitForAsync("llm_error"));
        Assert.Equal(404, logged.GetProperty("status").GetInt32());
        Assert.Equal(Assert.Single(response.Headers.GetValues("x-request-id")), logged.GetProperty("requestId").GetString());
    }

    [Fact]
    public async Task A_refused_key_is_logged_once_as_unauthorized()
    {
        var keysPath = await KeysFiles.WriteAsync(KeysFiles.Standard());
        await using var gateway = await TestGateway.StartAsync(ModelMaps.EchoOnly, "--AUTH_MODE=keys", $"--API_KEYS_PATH={keysPath}");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent("""{"model":"echo","messages":[{"role":"user","content":"hi"}]}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "sk-sfai-not-a-key-0123456789");

        var response = await gateway.Http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_api_key", (await Post.ErrorAsync(response)).GetProperty("code").GetString());
        var logged = Assert.Single(await gateway.Logs.WaitForAsync("llm_error"));
        Assert.Equal("unauthorized", logged.GetProperty("errorType").GetString());
        Assert.Equal("anonymous", logged.GetProperty("keyName").GetString());
        File.Delete(keysPath);
    }

    [Fact]
    public async Task An_upstream_failure_is_logged_once_naming_the_call_that_failed()
    {
        using var closed = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        await using var gateway = await TestGateway.StartAsync(
            ModelMaps.OpenAI($"http://127.0.0.1:{port}/v1", providerExtras: ", \"retry\": { \"attempts\": 0 }"), "--AUTH_MODE=none");

        var response = await Post.JsonAsync(gateway.Http, Post.Hello);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var logged = Assert.Single(await gateway.Logs.WaitForAsync("llm_error"));
        Assert.Equal("frontend", logged.GetProperty("alias").GetString());
        Assert.Equal("openai", logged.GetProperty("provider").GetString());
        Assert.Equal("gpt-4o-mini", logged.GetProperty("upstreamModel").GetString());
        Assert.Equal("upstream_error", logged.GetProperty("errorType").GetString());
    }
}
