namespace SfAi.Core.Pricing;

/// <summary>
/// List prices shipped with the gateway, USD per 1M tokens, as published by the providers
/// (https://openai.com/api/pricing, https://docs.anthropic.com/en/docs/about-claude/pricing).
/// The model map's <c>prices</c> override any entry. Anthropic cache writes are the 5-minute rate (1.25 × input).
/// </summary>
public static class DefaultPrices
{
    public static IReadOnlyDictionary<string, ModelPrice> Table { get; } = new Dictionary<string, ModelPrice>(StringComparer.Ordinal)
    {
        ["gpt-5"] = new(1.25m, 10.00m, 0.125m),
        ["gpt-5-mini"] = new(0.25m, 2.00m, 0.025m),
        ["gpt-5-nano"] = new(0.05m, 0.40m, 0.005m),
        ["gpt-4.1"] = new(2.00m, 8.00m, 0.50m),
        ["gpt-4.1-mini"] = new(0.40m, 1.60m, 0.10m),
        ["gpt-4.1-nano"] = new(0.10m, 0.40m, 0.025m),
        ["gpt-4o"] = new(2.50m, 10.00m, 1.25m),
        ["gpt-4o-mini"] = new(0.15m, 0.60m, 0.075m),
        ["o3"] = new(2.00m, 8.00m, 0.50m),
        ["o3-mini"] = new(1.10m, 4.40m, 0.55m),
        ["o4-mini"] = new(1.10m, 4.40m, 0.275m),
        ["o1"] = new(15.00m, 60.00m, 7.50m),
        ["claude-opus-4-5"] = new(5.00m, 25.00m, 0.50m, 6.25m),
        ["claude-opus-4-1"] = new(15.00m, 75.00m, 1.50m, 18.75m),
        ["claude-opus-4"] = new(15.00m, 75.00m, 1.50m, 18.75m),
        ["claude-sonnet-4-5"] = new(3.00m, 15.00m, 0.30m, 3.75m),
        ["claude-sonnet-4"] = new(3.00m, 15.00m, 0.30m, 3.75m),
        ["claude-3-7-sonnet"] = new(3.00m, 15.00m, 0.30m, 3.75m),
        ["claude-haiku-4-5"] = new(1.00m, 5.00m, 0.10m, 1.25m),
        ["claude-3-5-haiku"] = new(0.80m, 4.00m, 0.08m, 1.00m),
        ["text-embedding-3-small"] = new(0.02m, 0m),
        ["text-embedding-3-large"] = new(0.13m, 0m),
        ["text-embedding-ada-002"] = new(0.10m, 0m),
        ["echo-1"] = new(0m, 0m, 0m, 0m),
        ["echo-embed-1"] = new(0m, 0m, 0m, 0m),
    };
}
