using System.Net;
using System.Text;
using SfAi.Api.Tests.Support;

namespace SfAi.Api.Tests.ChatCompletions;

/// <summary>Each kind of bad request gets the right status and an OpenAI-shaped error that names the field.</summary>
public sealed class BadInputTests : IAsyncLifetime
{
    private TestGateway _gateway = null!;

    public async ValueTask InitializeAsync() =>
        _gateway = await TestGateway.StartAsync(ModelMaps.EchoOnly, "--MAX_REQUEST_BODY_BYTES=4096");

    public async ValueTask DisposeAsync() => await _gateway.DisposeAsync();

    [Theory]
    [InlineData("", "invalid_request_error", null, null)]
    [InlineData("{not json", "invalid_request_error", null, null)]
    [InlineData("[1,2]", "invalid_request_error", null, null)]
    [InlineData("\"text\"", "invalid_request_error", null, null)]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}]}""", "invalid_request_error", "model", "missing_required_parameter")]
    [InlineData("""{"model":42,"messages":[{"role":"user","content":"hi"}]}""", "invalid_request_error", "model", "invalid_type")]
    [InlineData("""{"model":"","messages":[{"role":"user","content":"hi"}]}""", "invalid_request_error", "model", "invalid_value")]
    [InlineData("""{"model":"echo"}""", "invalid_request_error", "messages", "missing_required_parameter")]
    [InlineData("""{"model":"echo","messages":"hi"}""", "invalid_request_error", "messages", "invalid_type")]
    [InlineData("""{"model":"echo","messages":[]}""", "invalid_request_error", "messages", "empty_array")]
    [InlineData("""{"model":"echo","messages":["hi"]}""", "invalid_request_error", "messages[0]", "invalid_type")]
    [InlineData("""{"model":"echo","messages":[{"content":"hi"}]}""", "invalid_request_error", "messages[0].role", "missing_required_parameter")]
    [InlineData("""{"model":"echo","messages":[{"role":1,"content":"hi"}]}""", "invalid_request_error", "messages[0].role", "invalid_type")]
    [InlineData("""{"model":"echo","messages":[{"role":"user","content":5}]}""", "invalid_request_error", "messages[0].content", "invalid_type")]
    [InlineData("""{"model":"echo","stream":"yes","messages":[{"role":"user","content":"hi"}]}""", "invalid_request_error", "stream", "invalid_type")]
    public async Task Rejects_a_malformed_request_with_400_naming_the_field(string body, string type, string? param, string? code)
    {
        var response = await Post.JsonAsync(_gateway.Http, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await Post.ErrorAsync(response);
        Assert.Equal(type, error.GetProperty("type").GetString());
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.Equal(code, error.GetProperty("code").GetString());
        if (param is not null)
        {
            Assert.Contains($"'{param}'", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_client_that_hangs_up_in_the_middle_of_its_body_is_logged_as_gone_not_as_a_bad_request()
    {
        using var socket = new System.Net.Sockets.TcpClient();
        await socket.ConnectAsync(_gateway.BaseUrl.Host, _gateway.BaseUrl.Port, TestContext.Current.CancellationToken);
        var head = $"POST /v1/chat/completions HTTP/1.1\r\nHost: {_gateway.BaseUrl.Authority}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"model\":";
        await socket.GetStream().WriteAsync(Encoding.ASCII.GetBytes(head), TestContext.Current.CancellationToken);
        await socket.GetStream().FlushAsync(TestContext.Current.CancellationToken);

        socket.Close();

        var logged = (await _gateway.Logs.WaitForAsync("llm_error")).Single();
        Assert.Equal(("client_closed", 499), (logged.GetProperty("errorType").GetString(), logged.GetProperty("status").GetInt32()));
    }

    [Fact]
    public async Task Rejects_an_unknown_model_with_404_listing_the_aliases()
    {
        var response = await Post.JsonAsync(_gateway.Http, """{"model":"gpt-99","messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var error = await Post.ErrorAsync(response);
        Assert.Equal("model_not_found", error.GetProperty("code").GetString());
        Assert.Equal("The model 'gpt-99' does not exist on this gateway. Valid models: echo.", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Rejects_a_body_that_is_not_JSON_with_415()
    {
        var response = await Post.JsonAsync(_gateway.Http, "model=echo", contentType: "application/x-www-form-urlencoded");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("unsupported_media_type", (await Post.ErrorAsync(response)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Accepts_json_with_a_charset_parameter()
    {
        var response = await _gateway.Http.PostAsync("/v1/chat/completions",
            new StringContent("""{"model":"echo","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"),
            TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Rejects_a_body_over_the_limit_with_413()
    {
        var big = $$"""{"model":"echo","messages":[{"role":"user","content":"{{new string('x', 5000)}}"}]}""";

        var response = await Post.JsonAsync(_gateway.Http, big);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("request_too_large", (await Post.ErrorAsync(response)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Rejects_a_chunked_body_over_the_limit_with_413()
    {
        var big = $$"""{"model":"echo","messages":[{"role":"user","content":"{{new string('x', 5000)}}"}]}""";
        using var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(big)));
        content.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        var response = await _gateway.Http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Answers_an_unknown_URL_with_an_OpenAI_shaped_404()
    {
        var response = await Post.JsonAsync(_gateway.Http, "{}", path: "/v1/completions-typo");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("unknown_url", (await Post.ErrorAsync(response)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Logs_each_rejection_as_an_llm_error()
    {
        await Post.JsonAsync(_gateway.Http, """{"model":"echo","messages":[]}""");

        var logged = Assert.Single(await _gateway.Logs.WaitForAsync("llm_error"));
        Assert.Equal("bad_request", logged.GetProperty("errorType").GetString());
        Assert.Equal(400, logged.GetProperty("status").GetInt32());
    }
}
