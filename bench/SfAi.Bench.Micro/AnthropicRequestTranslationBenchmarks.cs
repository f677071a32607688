using BenchmarkDotNet.Attributes;
using SfAi.Core.Protocols.OpenAIChat;
using SfAi.Core.Json;
using SfAi.Core.ModelMap;
using SfAi.Core.Providers.Anthropic;

namespace SfAi.Bench.Micro;

/// <summary>
/// OpenAI request → Anthropic Messages body, as <see cref="AnthropicChatProvider"/> builds it (translate, then write
/// UTF-8), so the figure compares with the pass-through rewrite, which also ends in bytes.
/// </summary>
[MemoryDiagnoser]
public class AnthropicRequestTranslationBenchmarks
{
    private ChatRequest _request = null!;
    private ChatRequest _toolRequest = null!;
    private AliasRoute _route = null!;

    [GlobalSetup]
    public void Setup()
    {
        _request = ChatRequestParser.Parse(Inputs.ChatRequestBody(Inputs.AnthropicAlias));
        _toolRequest = ChatRequestParser.Parse(Inputs.ToolRequestBody(Inputs.AnthropicAlias));
        _route = Inputs.Route(Inputs.AnthropicAlias);
        Check.That(_route.Provider.Type == ProviderType.Anthropic, $"'{Inputs.AnthropicAlias}' is an Anthropic alias");
        Check.Equal(Translate_1KB_chat_request_to_Messages_body(), Translate_1KB_chat_request_to_Messages_body(), "the translation is repeatable");
        var tools = Translate_tool_request_to_Messages_body();
        Check.Equal(tools, Translate_tool_request_to_Messages_body(), "the translation with tools is repeatable");
        Check.That(System.Text.Encoding.UTF8.GetString(tools).Contains("\"input_schema\"", StringComparison.Ordinal), "the tool is translated");
    }

    [Benchmark]
    public byte[] Translate_1KB_chat_request_to_Messages_body() => JsonWriting.ToUtf8(AnthropicRequestTranslator.Translate(_request, _route));

    /// <summary>The captured request with one function tool and <c>tool_choice: auto</c>.</summary>
    [Benchmark]
    public byte[] Translate_tool_request_to_Messages_body() => JsonWriting.ToUtf8(AnthropicRequestTranslator.Translate(_toolRequest, _route));
}
