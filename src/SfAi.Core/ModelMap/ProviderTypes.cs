namespace SfAi.Core.ModelMap;

/// <summary>The spelling of each <see cref="ProviderType"/> in <c>model_map.json</c>.</summary>
public static class ProviderTypes
{
    private static readonly Dictionary<string, ProviderType> ByName = new(StringComparer.Ordinal)
    {
        ["openai"] = ProviderType.OpenAI,
        ["openai-compatible"] = ProviderType.OpenAICompatible,
        ["anthropic"] = ProviderType.Anthropic,
        ["echo"] = ProviderType.Echo,
    };

    public static IEnumerable<string> Names => ByName.Keys;

    public static bool TryParse(string name, out ProviderType type) => ByName.TryGetValue(name, out type);

    public static string ToName(ProviderType type) => ByName.First(pair => pair.Value == type).Key;
}
