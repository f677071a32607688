using System.Net;
using System.Net.Http.Headers;
using SfAi.Api.Tests.Support;

namespace SfAi.Api.Tests.ChatCompletions;

/// <summary>
/// JSON is UTF-8 (RFC 8259): a body with an invalid byte sequence, or whose text escapes an unpaired surrogate, is
/// refused with 400 naming its offset, before anything goes upstream, and the connection it came on keeps serving.
/// </summary>
public sealed class InvalidUtf8Tests : IAsyncLifetime
{
    private FakeUpstream _upstream = null!;
    private TestGateway _gateway = null!;

    public async ValueTask InitializeAsync()
    {
        _upstream = await FakeUpstream.StartAsync(Replay.Json(Replay.Fixture("openai/chat-completion.json")));
        _gateway = await TestGateway.StartAsync(ModelMaps.OpenAI(_upstream.V1));
    }

    public async ValueTask DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    private static ByteArrayContent Body(string model)
    {
        var head = System.Text.Encoding.UTF8.GetBytes($$"""{"model":"{{model}}","messages":[{"role":"user","content":"h""");
        byte[] tail = [0xC3, 0x28, .. "i\"}]}"u8.ToArray()];
        var content = new ByteArrayContent([.. head, .. tail]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private static int InvalidOffset(string model) => System.Text.Encoding.UTF8.GetByteCount($$"""{"model":"{{model}}","messages":[{"role":"user","content":"h""");

    [Theory]
    [InlineData("echo")]
    [InlineData("frontend")]
    public async Task Refuses_invalid_UTF_8_with_400_naming_the_byte_offset_and_sends_nothing_upstream(string model)
    {
        var response = await _gateway.Http.PostAsync("/v1/chat/completions", Body(model), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await Post.ErrorAsync(response);
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal("invalid_encoding", error.GetProperty("code").GetString());
        Assert.Contains($"byte offset {InvalidOffset(model)}", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty(_upstream.Requests);
    }

    [Theory]
    [InlineData("echo")]
    [InlineData("frontend")]
    public async Task Refuses_an_escaped_unpaired_surrogate_with_400_and_sends_nothing_upstream(string model)
    {
        var response = await Post.JsonAsync(_gateway.Http, $$"""{"model":"{{model}}","messages":[{"role":"\ud800","content":"hi"}]}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await Post.ErrorAsync(response);
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Contains("escapes an unpaired surrogate (\\ud800", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty(_upstream.Requests);
    }

    [Fact]
    public async Task The_connection_keeps_serving_after_a_refused_body()
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 1 };
        using var http = new HttpClient(handler) { BaseAddress = _gateway.Http.BaseAddress };

        var refused = await http.PostAsync("/v1/chat/completions", Body("echo"), TestContext.Current.CancellationToken);
        var next = await Post.JsonAsync(http, """{"model":"echo","messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }
}
