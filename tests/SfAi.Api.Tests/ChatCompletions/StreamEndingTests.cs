using System.Text;
using SfAi.Api.Tests.Support;

namespace SfAi.Api.Tests.ChatCompletions;

/// <summary>How a pass-through stream ends is told truthfully: cut short by the upstream, or left by the client.</summary>
public sealed class StreamEndingTests : IAsyncLifetime
{
    private const string StreamRequest = """{"model":"frontend","stream":true,"messages":[{"role":"user","content":"Hi"}]}""";
    private FakeUpstream _upstream = null!;
    private TestGateway _gateway = null!;

    public async ValueTask InitializeAsync()
    {
        _upstream = await FakeUpstream.StartAsync();
        _gateway = await TestGateway.StartAsync(ModelMaps.OpenAI(_upstream.V1));
    }

    public async ValueTask DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Fact]
    public async Task A_stream_that_ends_before_DONE_ends_with_an_error_event_and_is_logged_as_an_upstream_error()
    {
        var events = Replay.Events("openai/chat-stream-include-usage.txt").Take(3).ToList();
        _upstream.Respond = Replay.Stream(events);

        var response = await Post.JsonAsync(_gateway.Http, StreamRequest);
        var body = (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Contains("the stream ended before [DONE]", body[^1], StringComparison.Ordinal);
        Assert.Contains("\"type\":\"upstream_error\"", body[^1], StringComparison.Ordinal);
        var logged = Assert.Single(await _gateway.Logs.WaitForAsync("llm_error"));
        Assert.Equal("upstream_error", logged.GetProperty("errorType").GetString());
        Assert.Empty(_gateway.Logs.Events("chat_completion"));
    }

    [Fact]
    public async Task A_client_that_hangs_up_mid_stream_is_logged_client_closed_and_the_upstream_call_is_cancelled()
    {
        var first = Replay.Events("openai/chat-stream-include-usage.txt")[0];
        _upstream.Respond = Replay.Stream(Enumerable.Repeat(first, 2000).ToList(), gap: TimeSpan.FromMilliseconds(2));
        using var http = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = _gateway.BaseUrl };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent(StreamRequest, Encoding.UTF8, "application/json"),
        };
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken));
        Assert.StartsWith("data: ", await reader.ReadLineAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);

        reader.Dispose();
        response.Dispose();

        await _upstream.UpstreamCancelled.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        var logged = Assert.Single(await _gateway.Logs.WaitForAsync("llm_error"));
        Assert.Equal("client_closed", logged.GetProperty("errorType").GetString());
        Assert.Equal(499, logged.GetProperty("status").GetInt32());
    }
}
