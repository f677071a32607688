using SfAi.Core.Pricing;

namespace SfAi.Core.Providers.Anthropic;

/// <summary>
/// The maximum output of Claude models (https://docs.anthropic.com/en/docs/about-claude/models/overview).
/// Anthropic requires <c>max_tokens</c>; when the client sends none and the alias sets none, the model's maximum is
/// sent, so answers are never cut short by a small default. A dated name (<c>claude-sonnet-4-5-20250929</c>) takes
/// the limit of its base name.
/// </summary>
public static class AnthropicModelLimits
{
    private static readonly IReadOnlyDictionary<string, int> MaxOutputTokens = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["claude-opus-4-5"] = 64_000,
        ["claude-opus-4-1"] = 32_000,
        ["claude-opus-4"] = 32_000,
        ["claude-sonnet-4-5"] = 64_000,
        ["claude-sonnet-4"] = 64_000,
        ["claude-3-7-sonnet"] = 64_000,
        ["claude-haiku-4-5"] = 64_000,
        ["claude-3-5-haiku"] = 8_192,
        ["claude-3-5-sonnet"] = 8_192,
        ["claude-3-haiku"] = 4_096,
        ["claude-3-opus"] = 4_096,
    };

    public static int? MaxOutputFor(string model) => ModelNameLookup.Find(MaxOutputTokens, model);
}
