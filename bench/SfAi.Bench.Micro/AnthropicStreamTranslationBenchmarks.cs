using System.Text;
using BenchmarkDotNet.Attributes;
using SfAi.Core.Providers.Anthropic;

namespace SfAi.Bench.Micro;

/// <summary>
/// The steady state of a translated stream: one Anthropic <c>content_block_delta</c> (text_delta) event → one OpenAI
/// <c>chat.completion.chunk</c>, fed as <see cref="AnthropicChatProvider"/> does (the event's data as UTF-8 bytes, the output
/// list cleared before each event). Each iteration starts a fresh stream (message_start, content_block_start) in
/// <see cref="StartStream"/>, outside the measurement, so one operation is exactly one delta, and the text the
/// translator keeps for token counting grows only over one iteration's deltas, as over a long answer.
/// </summary>
[MemoryDiagnoser]
[InvocationCount(DeltasPerIteration)]
public class AnthropicStreamTranslationBenchmarks
{
    /// <summary>A fixed count, since BenchmarkDotNet runs [IterationSetup] benchmarks once per iteration otherwise.</summary>
    private const int DeltasPerIteration = 262_144;

    private readonly List<byte[]> _output = new(4);
    private byte[] _messageStart = [];
    private byte[] _blockStart = [];
    private byte[] _textDelta = [];
    private AnthropicStreamTranslator _translator = null!;

    [GlobalSetup]
    public void Setup()
    {
        var events = Inputs.StreamEvents("anthropic", "sdk-basic_response.txt");
        _messageStart = Encoding.UTF8.GetBytes(events.First(e => e.Contains("\"type\":\"message_start\"", StringComparison.Ordinal)));
        _blockStart = Encoding.UTF8.GetBytes(events.First(e => e.Contains("\"type\":\"content_block_start\"", StringComparison.Ordinal)));
        _textDelta = Encoding.UTF8.GetBytes(events.First(e => e.Contains("\"type\":\"text_delta\"", StringComparison.Ordinal)));
        StartStream();
        var chunk = Encoding.UTF8.GetString(Translate_text_delta_chunk());
        Check.That(_output.Count == 1 && chunk.Contains("\"delta\":{\"content\":\"Hello\"}", StringComparison.Ordinal),
            "a text delta becomes one content chunk");
    }

    [IterationSetup]
    public void StartStream()
    {
        _translator = new AnthropicStreamTranslator("fake-anthropic", "claude-sonnet-4-5", clientWantsUsage: true, jsonObjectMode: false,
            DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        _output.Clear();
        _translator.Translate(_messageStart, _output);
        _output.Clear();
        _translator.Translate(_blockStart, _output);
    }

    [Benchmark]
    public byte[] Translate_text_delta_chunk()
    {
        _output.Clear();
        _translator.Translate(_textDelta, _output);
        return _output[0];
    }
}
