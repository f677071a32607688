using SfAi.Api.Tests.Support;
using SfAi.Core.Streaming;

namespace SfAi.Api.Tests.ChatCompletions;

/// <summary>An upstream that sends one stream event over the cap (8 MiB) fails the stream with an upstream_error, once.</summary>
public sealed class UpstreamEventCapTests : IAsyncLifetime
{
    private FakeUpstream _upstream = null!;
    private TestGateway _gateway = null!;

    public async ValueTask InitializeAsync()
    {
        _upstream = await FakeUpstream.StartAsync();
        // Sending 8 MiB through a Debug build on a loaded machine can take longer than the test maps' 5 s between two
        // events, and this test is about the cap, not that timeout.
        _gateway = await TestGateway.StartAsync(ModelMaps.OpenAI(_upstream.V1, timeoutSeconds: 60));
    }

    public async ValueTask DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Fact]
    public async Task A_pass_through_event_over_the_cap_ends_the_stream_with_an_upstream_error_logged_once()
    {
        var first = Replay.Events("openai/chat-stream-include-usage.txt")[0];
        _upstream.Respond = async context =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.Body.WriteAsync(System.Text.Encoding.UTF8.GetBytes(first + "\n\n"), context.RequestAborted);
            await context.Response.Body.WriteAsync("data: {\"x\":\""u8.ToArray(), context.RequestAborted);
            var block = new byte[64 * 1024];
            Array.Fill(block, (byte)'a');
            for (var sent = 0; sent <= SseEventReader.DefaultMaxEventBytes && !context.RequestAborted.IsCancellationRequested; sent += block.Length)
            {
                await context.Response.Body.WriteAsync(block, context.RequestAborted);
            }
        };

        var response = await Post.JsonAsync(_gateway.Http, Post.HelloStream);
        var body = (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Contains("\"type\":\"upstream_error\"", body[^1], StringComparison.Ordinal);
        Assert.Contains($"larger than {SseEventReader.DefaultMaxEventBytes} bytes", body[^1], StringComparison.Ordinal);
        var logged = Assert.Single(await _gateway.Logs.WaitForAsync("llm_error"));
        Assert.Equal("upstream_error", logged.GetProperty("errorType").GetString());
        Assert.Empty(_gateway.Logs.Events("chat_completion"));
    }

    [Fact]
    public async Task The_cap_is_the_MAX_UPSTREAM_EVENT_BYTES_setting_and_applies_to_translated_streams_too()
    {
        await using var gateway = await TestGateway.StartAsync(ModelMaps.Anthropic(_upstream.V1), "--MAX_UPSTREAM_EVENT_BYTES=4096");
        _upstream.Respond = async context =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.Body.WriteAsync(System.Text.Encoding.UTF8.GetBytes(
                "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"model\":\"claude\",\"usage\":{\"input_tokens\":3}}}\n\n"
                + "event: ping\ndata: {\"type\":\"ping\",\"pad\":\"" + new string('a', 5000) + "\"}\n\n"), context.RequestAborted);
        };

        var response = await Post.JsonAsync(gateway.Http, Post.HelloStream.Replace("\"frontend\"", "\"backend\"", StringComparison.Ordinal));
        var body = (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Contains("\"role\":\"assistant\"", body[0], StringComparison.Ordinal);
        Assert.Contains("larger than 4096 bytes", body[^1], StringComparison.Ordinal);
        var logged = Assert.Single(await gateway.Logs.WaitForAsync("llm_error"));
        Assert.Equal("upstream_error", logged.GetProperty("errorType").GetString());
    }

    [Theory]
    [InlineData("512")]
    [InlineData("many")]
    [InlineData("4294967296")]
    public async Task A_MAX_UPSTREAM_EVENT_BYTES_out_of_range_stops_the_start_with_its_name(string value)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => TestGateway.StartAsync(ModelMaps.OpenAI(_upstream.V1), $"--MAX_UPSTREAM_EVENT_BYTES={value}"));

        Assert.Contains("MAX_UPSTREAM_EVENT_BYTES", error.ToString(), StringComparison.Ordinal);
    }
}
