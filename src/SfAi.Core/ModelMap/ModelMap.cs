namespace SfAi.Core.ModelMap;

/// <summary>The parsed, validated <c>model_map.json</c>: the single source of routing.</summary>
public sealed class ModelMap
{
    public ModelMap(IReadOnlyDictionary<string, ProviderDefinition> providers, IReadOnlyDictionary<string, AliasRoute> aliases)
    {
        Providers = providers;
        Aliases = aliases;
        AliasNames = [.. aliases.Keys.Order(StringComparer.Ordinal)];
    }

    public IReadOnlyDictionary<string, ProviderDefinition> Providers { get; }

    public IReadOnlyDictionary<string, AliasRoute> Aliases { get; }

    /// <summary>The aliases in a stable order, as <c>/v1/models</c> lists them.</summary>
    public IReadOnlyList<string> AliasNames { get; }

    public bool TryResolve(string alias, out AliasRoute route) => Aliases.TryGetValue(alias, out route!);
}
