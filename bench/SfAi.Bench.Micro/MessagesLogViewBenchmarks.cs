using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using SfAi.Core.Protocols.AnthropicMessages;
using SfAi.Core.Protocols.OpenAIChat;

namespace SfAi.Bench.Micro;

/// <summary>
/// What a Messages pass-through (Claude Code to an Anthropic alias) spends on its log line, on the captured Claude Code
/// request (<c>clients/claude-code-2.1.197-messages-request.json</c>): the conversation from the pivot's messages as
/// built, against the whole pivot written out and parsed back (what the log read before).
/// </summary>
[MemoryDiagnoser]
public class MessagesLogViewBenchmarks
{
    private byte[] _body = [];

    [GlobalSetup]
    public void Setup()
    {
        var capture = JsonNode.Parse(Inputs.Fixture("clients", "claude-code-2.1.197-messages-request.json"))!;
        _body = System.Text.Encoding.UTF8.GetBytes(capture["body"]!.ToJsonString());
        Check.That(Log_view_from_the_built_pivot_messages() == Log_view_from_the_whole_pivot(), "both views give the same latest user message");
    }

    [Benchmark(Baseline = true)]
    public string? Log_view_from_the_whole_pivot()
    {
        var request = MessagesRequestParser.Parse(_body);
        var conversation = ConversationText.From(request.Chat);
        return conversation.LatestUserMessage + conversation.Tail(200);
    }

    [Benchmark]
    public string? Log_view_from_the_built_pivot_messages()
    {
        var request = MessagesRequestParser.Parse(_body);
        var conversation = request.Conversation;
        return conversation.LatestUserMessage + conversation.Tail(200);
    }
}
