using BenchmarkDotNet.Attributes;
using SfAi.Core.Providers.OpenAI;

namespace SfAi.Bench.Micro;

/// <summary>
/// What the pass-through path reads from each upstream answer for the log (usage, finish reason, text), on the
/// captured stream <c>openai/chat-stream-include-usage.txt</c> and the <c>openai/chat-completion.json</c> body.
/// Chunks are fed as the UTF-8 bytes the stream reader yields. A stream's chunks go to one inspector, renewed each iteration in <see cref="StartStream"/> (outside the
/// measurement), so one operation is exactly one chunk; a whole body gets its own inspector, as in production.
/// </summary>
[MemoryDiagnoser]
[InvocationCount(OperationsPerIteration)]
public class OpenAIUsageExtractionBenchmarks
{
    /// <summary>A fixed count, since BenchmarkDotNet runs [IterationSetup] benchmarks once per iteration otherwise.</summary>
    private const int OperationsPerIteration = 262_144;

    private byte[] _contentChunk = [];
    private byte[] _usageChunk = [];
    private byte[] _completion = [];
    private OpenAIResponseInspector _inspector = new();

    [GlobalSetup]
    public void Setup()
    {
        var events = Inputs.StreamEvents("openai", "chat-stream-include-usage.txt");
        _contentChunk = System.Text.Encoding.UTF8.GetBytes(events.First(e => e.Contains("\"delta\":{\"content\":\"Hello\"}", StringComparison.Ordinal)));
        _usageChunk = System.Text.Encoding.UTF8.GetBytes(events.Last(e => e.Contains("\"choices\":[]", StringComparison.Ordinal)));
        _completion = System.Text.Encoding.UTF8.GetBytes(Inputs.Fixture("openai", "chat-completion.json"));

        Check.That(!Inspect_content_chunk() && _inspector.CompletionText == "Hello", "the content chunk carries text");
        Check.That(Inspect_final_usage_chunk() && _inspector.Usage is { PromptTokens: 8, CompletionTokens: 9 }, "the final chunk carries the usage");
        Check.That(Inspect_chat_completion_body() is { Usage.PromptTokens: 1117, FinishReason: "stop" }, "the completion carries usage");
    }

    [IterationSetup]
    public void StartStream() => _inspector = new OpenAIResponseInspector();

    /// <summary>A <c>chat.completion.chunk</c> with a content delta (the steady state of a stream).</summary>
    [Benchmark]
    public bool Inspect_content_chunk() => _inspector.InspectChunk(_contentChunk);

    /// <summary>The last chunk: empty <c>choices</c> and the usage.</summary>
    [Benchmark]
    public bool Inspect_final_usage_chunk() => _inspector.InspectChunk(_usageChunk);

    /// <summary>A whole <c>chat.completion</c> body, with the inspector the provider creates for it.</summary>
    [Benchmark]
    public OpenAIResponseInspector Inspect_chat_completion_body()
    {
        var inspector = new OpenAIResponseInspector();
        inspector.InspectCompletion(_completion);
        return inspector;
    }
}
