using BenchmarkDotNet.Attributes;
using SfAi.Core.Protocols.OpenAIChat;
using SfAi.Core.ModelMap;
using SfAi.Core.Providers.OpenAI;

namespace SfAi.Bench.Micro;

/// <summary>
/// The pass-through path's own work on a ~1 KB chat request (system + user message, temperature, max_tokens, stream
/// with usage): parsing the client's body into the request the gateway acts on, then writing the upstream body.
/// </summary>
[MemoryDiagnoser]
public class OpenAIRequestRewriteBenchmarks
{
    private byte[] _body = [];
    private ChatRequest _request = null!;
    private AliasRoute _route = null!;

    [GlobalSetup]
    public void Setup()
    {
        _body = Inputs.ChatRequestBody(Inputs.OpenAIAlias);
        _request = ChatRequestParser.Parse(_body);
        _route = Inputs.Route(_request.Model);
        Check.That(_body.Length is > 900 and < 1200, $"the request is about 1 KB ({_body.Length} B)");
        Check.That(_route.Provider.Type == ProviderType.OpenAI && _route.Defaults.Count == 0 && _route.Rewrite.IsEmpty,
            $"'{Inputs.OpenAIAlias}' is a plain OpenAI alias");
        Check.Equal(OpenAIRequestRewriter.Rewrite(_request, _route), OpenAIRequestRewriter.Rewrite(_request, _route), "the rewrite is repeatable");
    }

    /// <summary>The body as the gateway reads it (UTF-8 bytes) → the parsed and checked request (its JsonNode tree).</summary>
    [Benchmark]
    public ChatRequest Parse_1KB_chat_request() => ChatRequestParser.Parse(_body);

    /// <summary>The parsed request → the upstream body for a plain alias (model replaced, usage asked for).</summary>
    [Benchmark]
    public byte[] Rewrite_1KB_chat_request_for_plain_alias() => OpenAIRequestRewriter.Rewrite(_request, _route);
}
