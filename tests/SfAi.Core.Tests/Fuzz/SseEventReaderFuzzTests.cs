using CsCheck;
using SfAi.Core.Streaming;

namespace SfAi.Core.Tests.Fuzz;

/// <summary>
/// Any bytes, delivered in any pieces, through <see cref="SseEventReader"/>: it ends, reads the same events as when the
/// body comes in one piece and as a line-by-line model of its rules, and throws nothing but
/// <see cref="SseEventTooLargeException"/>, exactly when an event passes the cap. A failure prints CsCheck's seed.
/// </summary>
public sealed class SseEventReaderFuzzTests
{
    private static readonly int Iterations = int.TryParse(Environment.GetEnvironmentVariable("SFAI_FUZZ_ITER"), out var n) ? n : 1500;
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(10);

    private sealed record Reading(List<byte[]> Events, int Lines, bool TooLarge);

    private sealed record Case(byte[] Body, int[] ReadSizes, int Cap);

    private static readonly Gen<Case> Cases = Gen.Select(
        StreamFuzzInputs.SseBodies,
        Gen.Frequency((4, Gen.Int[1, 70].Array[1, 12]), (1, Gen.Const(new[] { 1 }))),
        Gen.Frequency((3, Gen.Int[1, 400]), (1, Gen.Const(SseEventReader.DefaultMaxEventBytes))),
        (body, sizes, cap) => new Case(body, sizes, cap));

    private static Reading Read(Stream stream, int cap)
    {
        var events = new List<byte[]>();
        var lines = 0;
        async Task ReadAllAsync()
        {
            await foreach (var data in SseEventReader.ReadEventsAsync(stream, () => lines++, cap, TestContext.Current.CancellationToken))
            {
                events.Add(data.ToArray());
            }
        }
        try
        {
            ReadAllAsync().WaitAsync(Hang, TestContext.Current.CancellationToken).GetAwaiter().GetResult();
            return new Reading(events, lines, TooLarge: false);
        }
        catch (SseEventTooLargeException ex) when (ex.MaxEventBytes == cap)
        {
            return new Reading(events, lines, TooLarge: true);
        }
    }

    private static void ReadsAlike(Case c)
    {
        var whole = Read(new MemoryStream(c.Body), c.Cap);
        var pieces = Read(new ChunkedStream(c.Body, c.ReadSizes), c.Cap);
        var model = SseModel.Read(c.Body, c.Cap);

        Assert.Equal(model.TooLarge, whole.TooLarge);
        Assert.Equal(model.TooLarge, pieces.TooLarge);
        Assert.Equal(model.Events, whole.Events);
        Assert.Equal(model.Events, pieces.Events);
        if (!model.TooLarge)
        {
            Assert.Equal(model.Lines, whole.Lines);
            Assert.Equal(model.Lines, pieces.Lines);
        }
    }

    [Fact]
    public void Any_body_in_any_pieces_reads_as_the_model_says() =>
        Cases.Sample(ReadsAlike, iter: Iterations, print: c => $"cap {c.Cap}, reads of [{string.Join(",", c.ReadSizes)}]{Environment.NewLine}{FuzzInputs.Show(c.Body)}");

    [Theory]
    [InlineData("data: abc\n\n", 11, false)]
    [InlineData("data: abc\n\n", 10, true)]
    [InlineData("data: abc", 10, false)]
    [InlineData("data: abc", 9, true)]
    [InlineData(": a long comment\n\ndata: x\n\n", 18, false)]
    [InlineData(": a long comment\n\ndata: x\n\n", 16, true)]
    public void The_cap_counts_each_line_with_its_end_until_a_blank_line(string body, int cap, bool tooLarge) =>
        Assert.Equal(tooLarge, Read(new ChunkedStream(System.Text.Encoding.UTF8.GetBytes(body), [1]), cap).TooLarge);

    /// <summary>
    /// The reader's rules, line by line over the whole body: lines end at LF (a CR before it is dropped); each line
    /// counts its length plus one towards the event, and a blank line starts the count again; a <c>data</c> line adds its
    /// value (one space after the colon dropped), joined by LF; a blank line ends an event that has data, and so does the
    /// end of the body.
    /// </summary>
    private static class SseModel
    {
        public static Reading Read(byte[] body, int cap)
        {
            var events = new List<byte[]>();
            var data = new List<byte>();
            var hasData = false;
            long eventBytes = 0;
            var lines = 0;
            foreach (var raw in Lines(body))
            {
                lines++;
                eventBytes += raw.Length + 1;
                if (eventBytes > cap)
                {
                    return new Reading(events, lines, TooLarge: true);
                }
                var line = raw.Length > 0 && raw[^1] == (byte)'\r' ? raw[..^1] : raw;
                if (line.Length == 0)
                {
                    if (hasData)
                    {
                        events.Add([.. data]);
                        data.Clear();
                        hasData = false;
                    }
                    eventBytes = 0;
                    continue;
                }
                if (!line.AsSpan().SequenceEqual("data"u8) && !line.AsSpan().StartsWith("data:"u8))
                {
                    continue;
                }
                var value = line.Length > 5 ? line[5..] : [];
                if (value.Length > 0 && value[0] == (byte)' ')
                {
                    value = value[1..];
                }
                if (hasData)
                {
                    data.Add((byte)'\n');
                }
                data.AddRange(value);
                hasData = true;
            }
            if (hasData)
            {
                events.Add([.. data]);
            }
            return new Reading(events, lines, TooLarge: false);
        }

        private static IEnumerable<byte[]> Lines(byte[] body)
        {
            var start = 0;
            for (var i = 0; i < body.Length; i++)
            {
                if (body[i] == (byte)'\n')
                {
                    yield return body[start..i];
                    start = i + 1;
                }
            }
            if (start < body.Length)
            {
                yield return body[start..];
            }
        }
    }
}
