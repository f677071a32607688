using SfAi.Core.ModelMap;
using SfAi.Core.Protocols;
using SfAi.Core.Tests.Support;

namespace SfAi.Core.Tests.ModelMap;

public sealed class ModelMapKindTests
{
    [Theory]
    [InlineData("", AliasKind.Chat)]
    [InlineData(""", "kind": "chat" """, AliasKind.Chat)]
    [InlineData(""", "kind": "embeddings" """, AliasKind.Embeddings)]
    [InlineData(""", "kind": "completions" """, AliasKind.Completions)]
    public void Reads_the_kind_of_an_alias_chat_by_default(string kind, AliasKind expected)
    {
        var map = Maps.Parse(Maps.WithAlias($$"""{ "provider": "openai", "model": "text-embedding-3-small"{{kind}} }"""));

        Assert.Equal(expected, map.Aliases["a"].Kind);
    }

    [Fact]
    public void An_echo_alias_may_embed()
    {
        var map = Maps.Parse(Maps.WithAlias("""{ "provider": "echo", "model": "echo-embed", "kind": "embeddings" }"""));

        Assert.Equal(AliasKind.Embeddings, map.Aliases["a"].Kind);
    }

    public static TheoryData<string, string> Problems => new()
    {
        { Maps.WithAlias("""{ "provider": "openai", "model": "m", "kind": "embedding" }"""), "$.aliases.a.kind: 'embedding' is not one of chat, embeddings, completions" },
        { Maps.WithAlias("""{ "provider": "openai", "model": "m", "kind": 2 }"""), "$.aliases.a.kind: must be a string" },
        { Maps.WithAlias("""{ "provider": "echo", "model": "echo-1", "kind": "completions" }"""), "$.aliases.a.kind: a provider of type 'echo' has no completions endpoint; completions aliases are served by openai, openai-compatible" },
        {
            Maps.Map(
                providers: """{ "anthropic": { "type": "anthropic", "apiKey": { "env": "K" } } }""",
                aliases: """{ "a": { "provider": "anthropic", "model": "claude-sonnet-4-5", "kind": "embeddings" } }"""),
            "$.aliases.a.kind: a provider of type 'anthropic' has no embeddings endpoint; embeddings aliases are served by openai, openai-compatible, echo"
        },
        {
            Maps.Map(aliases: """{ "a": { "provider": "openai", "model": "text-embedding-3-small", "kind": "embeddings", "fallbacks": ["b"] }, "b": { "provider": "openai", "model": "gpt-4o-mini" } }"""),
            "$.aliases.a.fallbacks[0]: 'b' is of kind chat; an alias of kind embeddings falls back only to embeddings aliases"
        },
    };

    [Theory]
    [MemberData(nameof(Problems))]
    public void Rejects_a_kind_that_is_unknown_or_that_the_provider_cannot_serve(string json, string expected)
    {
        var problem = Assert.Single(Maps.Problems(json));

        Assert.StartsWith(expected, problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(WireProtocol.OpenAIChat, AliasKind.Chat)]
    [InlineData(WireProtocol.AnthropicMessages, AliasKind.Chat)]
    [InlineData(WireProtocol.OpenAIResponses, AliasKind.Chat)]
    [InlineData(WireProtocol.OpenAIEmbeddings, AliasKind.Embeddings)]
    [InlineData(WireProtocol.OpenAICompletions, AliasKind.Completions)]
    public void Each_protocol_names_the_kind_of_alias_it_serves(WireProtocol protocol, AliasKind kind) =>
        Assert.Equal(kind, AliasKinds.For(protocol));
}
