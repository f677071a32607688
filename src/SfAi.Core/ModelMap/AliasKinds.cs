using SfAi.Core.Protocols;

namespace SfAi.Core.ModelMap;

/// <summary>
/// The spelling of each <see cref="AliasKind"/> in <c>model_map.json</c>, the endpoint that serves it, and the provider
/// types that have that endpoint: Anthropic has neither embeddings nor fill-in-the-middle; echo embeds offline.
/// </summary>
public static class AliasKinds
{
    private static readonly Dictionary<string, AliasKind> ByName = new(StringComparer.Ordinal)
    {
        ["chat"] = AliasKind.Chat,
        ["embeddings"] = AliasKind.Embeddings,
        ["completions"] = AliasKind.Completions,
    };

    private static readonly Dictionary<AliasKind, ProviderType[]> Providers = new()
    {
        [AliasKind.Chat] = [ProviderType.OpenAI, ProviderType.OpenAICompatible, ProviderType.Anthropic, ProviderType.Echo],
        [AliasKind.Embeddings] = [ProviderType.OpenAI, ProviderType.OpenAICompatible, ProviderType.Echo],
        [AliasKind.Completions] = [ProviderType.OpenAI, ProviderType.OpenAICompatible],
    };

    public static IEnumerable<string> Names => ByName.Keys;

    public static bool TryParse(string name, out AliasKind kind) => ByName.TryGetValue(name, out kind);

    public static string ToName(AliasKind kind) => ByName.First(pair => pair.Value == kind).Key;

    /// <summary>The kind of alias a request of <paramref name="protocol"/> must name.</summary>
    public static AliasKind For(WireProtocol protocol) => protocol switch
    {
        WireProtocol.OpenAIEmbeddings => AliasKind.Embeddings,
        WireProtocol.OpenAICompletions => AliasKind.Completions,
        _ => AliasKind.Chat,
    };

    /// <summary>The endpoint that serves aliases of <paramref name="kind"/>, as a client calls it.</summary>
    public static string Endpoint(AliasKind kind) => kind switch
    {
        AliasKind.Embeddings => "POST /v1/embeddings",
        AliasKind.Completions => "POST /v1/completions",
        _ => "POST /v1/chat/completions",
    };

    public static bool Serves(AliasKind kind, ProviderType type) => Providers[kind].Contains(type);

    /// <summary>The provider types that serve <paramref name="kind"/>, spelled as in the model map.</summary>
    public static string ProviderNames(AliasKind kind) => string.Join(", ", Providers[kind].Select(ProviderTypes.ToName));
}
