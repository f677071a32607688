using SfAi.Core.ModelMap;

namespace SfAi.Core.Tests.Support;

internal static class Routes
{
    /// <summary>The route of alias <c>a</c>, read from a model map with the given alias body.</summary>
    public static AliasRoute Alias(string alias) => Maps.Parse(Maps.WithAlias(alias)).Aliases["a"];

    public static AliasRoute Frontend { get; } = Alias("""{ "provider": "openai", "model": "gpt-4o-mini" }""");
}
