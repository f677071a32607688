using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using CsCheck;
using Microsoft.AspNetCore.Http;
using SfAi.Api.Tests.Support;
using SfAi.Core.Tests.Fuzz;

namespace SfAi.Api.Tests.Fuzz;

/// <summary>
/// A fake Anthropic upstream streams mutated captured event sequences (or arbitrary bytes) to streamed chat requests on
/// an Anthropic alias, all sent over one keep-alive connection: every answer is a 200 event stream that ends, in
/// <c>[DONE]</c> or an error event, every event is JSON or <c>[DONE]</c>, and the connection is never reset or closed.
/// </summary>
public sealed class AnthropicStreamGatewayFuzzTests : IAsyncLifetime
{
    private const string StreamRequest =
        """{"model":"backend","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Hi"}]}""";

    private static readonly int Iterations = int.TryParse(Environment.GetEnvironmentVariable("SFAI_FUZZ_ITER"), out var n) ? Math.Max(50, n / 40) : 50;

    private FakeUpstream _upstream = null!;
    private TestGateway _gateway = null!;
    private int _connections;

    public async ValueTask InitializeAsync()
    {
        _upstream = await FakeUpstream.StartAsync();
        _gateway = await TestGateway.StartAsync(ModelMaps.Anthropic(_upstream.V1));
    }

    public async ValueTask DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    /// <summary>Writes each event's data as one <c>data:</c> line and a blank line, byte for byte, flushed.</summary>
    private static Func<HttpContext, Task> Streaming(IReadOnlyList<byte[]> events) => async context =>
    {
        context.Response.ContentType = "text/event-stream";
        await context.Response.StartAsync(context.RequestAborted);
        foreach (var data in events)
        {
            await context.Response.Body.WriteAsync((byte[])[.. "data: "u8, .. data, .. "\n\n"u8], context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
        }
    };

    /// <summary>One connection at most, counted as it opens: a second one means the gateway closed or reset the first.</summary>
    private HttpClient OneConnectionClient() => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = 1,
        ConnectCallback = async (context, cancellationToken) =>
        {
            Interlocked.Increment(ref _connections);
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    })
    { BaseAddress = _gateway.BaseUrl, Timeout = TimeSpan.FromSeconds(20) };

    /// <summary>The events of the gateway's answer, after checking it is a 200 event stream ending in <c>[DONE]</c> or an error.</summary>
    private static List<string> EndedStream(HttpClient http)
    {
        using var response = Post.JsonAsync(http, StreamRequest).GetAwaiter().GetResult();
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var body = response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken).GetAwaiter().GetResult();
        Assert.EndsWith("\n\n", body, StringComparison.Ordinal);
        var events = body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).ToList();
        Assert.NotEmpty(events);
        foreach (var e in events)
        {
            Assert.StartsWith("data: ", e, StringComparison.Ordinal);
            if (e != "data: [DONE]")
            {
                using var _ = JsonDocument.Parse(e["data: ".Length..]);
            }
        }
        var last = events[^1]["data: ".Length..];
        if (last != "[DONE]")
        {
            using var error = JsonDocument.Parse(last);
            Assert.Equal(JsonValueKind.Object, error.RootElement.GetProperty("error").ValueKind);
        }
        return events;
    }

    [Fact]
    public void Mutated_upstream_streams_end_in_DONE_or_an_error_event_on_one_connection()
    {
        using var http = OneConnectionClient();
        var upstreamStreams = Gen.Frequency(
            (4, StreamFuzzInputs.MutatedAnthropicStreams),
            (1, FuzzInputs.ArbitraryBytes.Array[1, 3].Select(e => (IReadOnlyList<byte[]>)e)));

        upstreamStreams.Sample(events =>
        {
            _upstream.Respond = Streaming(events);
            EndedStream(http);
            KeepsServingOnTheSameConnection(http);
        }, iter: Iterations, threads: 1, print: StreamFuzzInputs.Show);

        _upstream.Respond = Replay.StreamFixture("anthropic/sdk-basic_response.txt");
        Assert.Equal("data: [DONE]", EndedStream(http)[^1]);
        Assert.Equal(1, _connections);
    }

    /// <summary>A follow-up request is answered on the connection the stream came on (a closed one would be replaced).</summary>
    private void KeepsServingOnTheSameConnection(HttpClient http)
    {
        var connections = _connections;
        using var health = http.GetAsync("/health", TestContext.Current.CancellationToken).GetAwaiter().GetResult();
        Assert.Equal(200, (int)health.StatusCode);
        Assert.True(connections == _connections, "the gateway closed the connection after the stream: the follow-up request opened another");
    }

    /// <summary>What the fuzzing found: a block index that is no int escaped the provider mid-stream as a FormatException.</summary>
    [Fact]
    public void A_block_index_that_is_no_int_ends_the_stream_with_an_error_event_on_the_same_connection()
    {
        using var http = OneConnectionClient();
        var events = StreamFuzzInputs.AnthropicEvents[0]
            .Select(e => Encoding.UTF8.GetBytes(e.Replace("\"index\":0", "\"index\":99999999999", StringComparison.Ordinal)))
            .ToList();
        _upstream.Respond = Streaming(events);

        var answer = EndedStream(http);

        Assert.Contains("not a Messages API event", answer[^1], StringComparison.Ordinal);
        KeepsServingOnTheSameConnection(http);
        Assert.Equal(1, _connections);
    }
}
