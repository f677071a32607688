using SfAi.Core.Usage;

namespace SfAi.Core.Pricing;

/// <summary>Prices a completion: each kind of token at its own rate, none counted twice, rounded to 6 decimals.</summary>
public static class CostCalculator
{
    private const decimal PerMillion = 1_000_000m;

    public static decimal Cost(TokenUsage usage, ModelPrice price)
    {
        var uncachedInput = Math.Max(0, usage.PromptTokens - usage.CachedPromptTokens - usage.CacheWriteTokens);
        var total = (uncachedInput * price.Input)
            + (usage.CachedPromptTokens * (price.CachedInput ?? price.Input))
            + (usage.CacheWriteTokens * (price.CacheWrite ?? price.Input))
            + (usage.CompletionTokens * price.Output);
        return Math.Round(total / PerMillion, 6, MidpointRounding.AwayFromZero);
    }
}
