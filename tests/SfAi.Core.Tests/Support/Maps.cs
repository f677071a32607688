using System.Text;
using SfAi.Core.Configuration;
using SfAi.Core.ModelMap;

namespace SfAi.Core.Tests.Support;

/// <summary>Small model maps: a valid baseline with one part replaced.</summary>
internal static class Maps
{
    public const string Providers = """
        { "openai": { "type": "openai", "apiKey": { "env": "OPENAI_API_KEY" } }, "echo": { "type": "echo" } }
        """;

    public const string Aliases = """{ "a": { "provider": "openai", "model": "gpt-4o-mini" } }""";

    public static string Map(string providers = Providers, string aliases = Aliases, string extra = "") =>
        $$"""{ "providers": {{providers}}, "aliases": {{aliases}}{{extra}} }""";

    /// <summary>A map whose alias <c>a</c> has the given body.</summary>
    public static string WithAlias(string alias) => Map(aliases: $$"""{ "a": {{alias}} }""");

    /// <summary>A map with an extra provider <c>p</c>; the alias routes to <c>echo</c>.</summary>
    public static string WithProvider(string provider) => Map(
        providers: $$"""{ "echo": { "type": "echo" }, "p": {{provider}} }""",
        aliases: """{ "a": { "provider": "echo", "model": "echo-1" } }""");

    public static SfAi.Core.ModelMap.ModelMap Parse(string json) => ModelMapParser.Parse(Encoding.UTF8.GetBytes(json), "test.json");

    public static IReadOnlyList<string> Problems(string json) =>
        Assert.Throws<ConfigValidationException>(() => Parse(json)).Problems;
}
