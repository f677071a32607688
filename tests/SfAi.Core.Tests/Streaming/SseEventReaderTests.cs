using System.Text;
using SfAi.Core.Streaming;

namespace SfAi.Core.Tests.Streaming;

public sealed class SseEventReaderTests
{
    private static async Task<List<string>> ReadAsync(string text, Action? onLine = null)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
        var events = new List<string>();
        await foreach (var data in SseEventReader.ReadDataAsync(stream, onLine, TestContext.Current.CancellationToken))
        {
            events.Add(data);
        }
        return events;
    }

    [Fact]
    public async Task Reads_one_string_per_event() =>
        Assert.Equal(["{\"a\":1}", "[DONE]"], await ReadAsync("data: {\"a\":1}\n\ndata: [DONE]\n\n"));

    [Fact]
    public async Task Joins_multi_line_data_with_newlines() =>
        Assert.Equal(["first\nsecond\nthird"], await ReadAsync("data: first\ndata: second\ndata: third\n\n"));

    [Fact]
    public async Task Skips_comments_and_event_id_and_retry_lines() =>
        Assert.Equal(
            ["one", "two"],
            await ReadAsync(": keep-alive\n\nevent: message_start\nid: 7\nretry: 3000\ndata: one\n\n:ping\nevent: delta\ndata: two\n\n"));

    [Fact]
    public async Task Accepts_crlf_line_endings() =>
        Assert.Equal(["a", "b\nc"], await ReadAsync("data: a\r\n\r\ndata: b\r\ndata: c\r\n\r\n"));

    [Fact]
    public async Task Yields_the_last_event_without_a_trailing_blank_line() =>
        Assert.Equal(["a", "[DONE]"], await ReadAsync("data: a\n\ndata: [DONE]"));

    [Theory]
    [InlineData("data:x\n\n", "x")]
    [InlineData("data: x\n\n", "x")]
    [InlineData("data:  x\n\n", " x")]
    [InlineData("data:\n\n", "")]
    public async Task Removes_one_space_after_the_colon(string text, string expected) =>
        Assert.Equal([expected], await ReadAsync(text));

    [Fact]
    public async Task Blank_lines_without_data_yield_nothing() =>
        Assert.Empty(await ReadAsync("\n\n: comment\n\nevent: ping\n\n"));

    [Fact]
    public async Task Keeps_multi_byte_utf8_text() =>
        Assert.Equal(["{\"content\":\"日本語 🎌\"}"], await ReadAsync("data: {\"content\":\"日本語 🎌\"}\n\n"));

    [Fact]
    public async Task Reports_every_line_it_reads()
    {
        var lines = 0;

        await ReadAsync(": ping\ndata: a\n\ndata: b\n\n", () => lines++);

        Assert.Equal(5, lines);
    }

    [Fact]
    public async Task Reads_events_split_across_reads_at_any_byte()
    {
        var text = "event: a\r\ndata: {\"content\":\"日本語\"}\r\n\r\ndata: line one\ndata: line two\n\n";
        using var stream = new OneByteAtATimeStream(Encoding.UTF8.GetBytes(text));
        var events = new List<string>();

        await foreach (var data in SseEventReader.ReadDataAsync(stream, null, TestContext.Current.CancellationToken))
        {
            events.Add(data);
        }

        Assert.Equal(["{\"content\":\"日本語\"}", "line one\nline two"], events);
    }

    [Fact]
    public async Task Reads_a_long_event_arriving_in_many_reads_whole()
    {
        var value = string.Concat(Enumerable.Range(0, 40_000).Select(i => (char)('a' + i % 26)));
        var text = $"data: {value}\r\n\r\ndata: next\n\n";
        using var stream = new ChunkedStream(Encoding.UTF8.GetBytes(text), chunk: 1000);
        var events = new List<string>();

        await foreach (var data in SseEventReader.ReadDataAsync(stream, null, TestContext.Current.CancellationToken))
        {
            events.Add(data);
        }

        Assert.Equal([value, "next"], events);
        Assert.True(stream.Reads > 40, $"the event came in {stream.Reads} reads");
    }

    [Fact]
    public async Task Yields_each_events_utf8_bytes_as_sent()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes("data: {\"a\":1}\n\ndata: [DONE]\n\n"));
        var events = new List<byte[]>();

        await foreach (var data in SseEventReader.ReadEventsAsync(stream, null, TestContext.Current.CancellationToken))
        {
            events.Add(data.ToArray());
        }

        Assert.Equal([Encoding.UTF8.GetBytes("{\"a\":1}"), "[DONE]"u8.ToArray()], events);
    }

    private static async Task<List<(string Name, string Data)>> ReadNamedAsync(string text)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
        var events = new List<(string, string)>();
        await foreach (var received in SseEventReader.ReadNamedEventsAsync(stream, null, 1024, TestContext.Current.CancellationToken))
        {
            events.Add((Encoding.UTF8.GetString(received.Name.Span), Encoding.UTF8.GetString(received.Data.Span)));
        }
        return events;
    }

    [Fact]
    public async Task Names_each_event_by_its_own_event_line_only() =>
        Assert.Equal(
            [("message_start", "{\"type\":\"message_start\"}"), ("ping", "{\"type\": \"ping\"}"), ("", "[DONE]"), ("message_stop", "{}")],
            await ReadNamedAsync(
                "event: message_start\ndata: {\"type\":\"message_start\"}\n\n" +
                "event:ping\r\ndata: {\"type\": \"ping\"}\r\n\r\n" +
                "data: [DONE]\n\n" +
                "event: forgotten\n\n" +
                ": comment\nevent: message_stop\nid: 7\ndata: {}\n\n"));

    [Fact]
    public async Task The_last_event_line_before_the_data_names_it() =>
        Assert.Equal([("second", "x")], await ReadNamedAsync("event: first\nevent: second\ndata: x\n\n"));

    private static async Task<List<string>> ReadCappedAsync(Stream stream, int maxEventBytes)
    {
        var events = new List<string>();
        await foreach (var data in SseEventReader.ReadDataAsync(stream, null, maxEventBytes, TestContext.Current.CancellationToken))
        {
            events.Add(data);
        }
        return events;
    }

    [Fact]
    public async Task Reads_events_up_to_the_cap()
    {
        // "data: " + 10 bytes + "\n" + "\n" = 18 bytes
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes("data: 0123456789\n\ndata: 0123456789\n\n"));

        Assert.Equal(["0123456789", "0123456789"], await ReadCappedAsync(stream, 18));
    }

    [Fact]
    public async Task Throws_on_an_event_over_the_cap_with_the_cap_in_the_message()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes("data: a\n\ndata: 0123456789\ndata: 0123456789\n\n"));

        var ex = await Assert.ThrowsAsync<SseEventTooLargeException>(() => ReadCappedAsync(stream, 20));

        Assert.IsAssignableFrom<IOException>(ex);
        Assert.Equal(20, ex.MaxEventBytes);
        Assert.Contains("larger than 20 bytes", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Throws_on_one_endless_line_before_buffering_it_whole()
    {
        var stream = new EndlessLineStream();

        await Assert.ThrowsAsync<SseEventTooLargeException>(() => ReadCappedAsync(stream, 64 * 1024));

        Assert.InRange(stream.Served, 64 * 1024, 80 * 1024);
    }

    [Fact]
    public async Task Counts_comment_lines_toward_the_cap() =>
        await Assert.ThrowsAsync<SseEventTooLargeException>(
            () => ReadCappedAsync(new MemoryStream(Encoding.UTF8.GetBytes(": " + new string('x', 100) + "\n")), 50));

    [Fact]
    public async Task The_default_cap_is_8_MiB()
    {
        Assert.Equal(8 * 1024 * 1024, SseEventReader.DefaultMaxEventBytes);
        var big = new string('x', SseEventReader.DefaultMaxEventBytes);
        using var stream = new MemoryStream(Encoding.ASCII.GetBytes("data: " + big + "\n\n"));

        await Assert.ThrowsAsync<SseEventTooLargeException>(() => ReadAsync(stream));

        static async Task ReadAsync(Stream stream)
        {
            await foreach (var _ in SseEventReader.ReadEventsAsync(stream, null, TestContext.Current.CancellationToken))
            {
            }
        }
    }

    /// <summary>"data: xxxx…" without an end, and counts what it served.</summary>
    private sealed class EndlessLineStream : Stream
    {
        public long Served { get; private set; }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => Served; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count)
        {
            buffer.AsSpan(offset, count).Fill((byte)'x');
            if (Served == 0 && count >= 6)
            {
                "data: "u8.CopyTo(buffer.AsSpan(offset));
            }
            Served += count;
            return count;
        }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private sealed class ChunkedStream(byte[] bytes, int chunk) : MemoryStream(bytes)
    {
        public int Reads { get; private set; }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Reads++;
            return base.ReadAsync(buffer[..Math.Min(chunk, buffer.Length)], cancellationToken);
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            Reads++;
            return base.Read(buffer, offset, Math.Min(chunk, count));
        }
    }

    private sealed class OneByteAtATimeStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(1, buffer.Length)], cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(1, count));
    }
}
