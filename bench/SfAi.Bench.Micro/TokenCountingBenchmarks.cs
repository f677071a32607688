using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using SfAi.Core.Protocols.OpenAIChat;
using SfAi.Core.Usage;

namespace SfAi.Bench.Micro;

/// <summary>
/// Counting the prompt's tokens (o200k_base) when an upstream reports no usage, on the ~1 KB messages. The tokenizer
/// is loaded in the global setup, so its load time (a quarter of a second) is not measured.
/// </summary>
[MemoryDiagnoser]
public class TokenCountingBenchmarks
{
    private readonly TokenCounter _counter = new();
    private JsonArray _messages = [];

    [GlobalSetup]
    public void Setup()
    {
        _messages = ChatRequestParser.Parse(Inputs.ChatRequestBody(Inputs.OpenAIAlias)).Messages;
        Check.That(_counter.CountPrompt(_messages) > 100, "the messages count as a prompt of some hundred tokens");
    }

    [Benchmark]
    public int Count_prompt_tokens_of_1KB_messages() => _counter.CountPrompt(_messages);
}
