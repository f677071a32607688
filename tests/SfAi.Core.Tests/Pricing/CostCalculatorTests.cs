using SfAi.Core.Pricing;
using SfAi.Core.Usage;

namespace SfAi.Core.Tests.Pricing;

public sealed class CostCalculatorTests
{
    private static readonly ModelPrice Gpt4o = new(2.50m, 10.00m, 1.25m);
    private static readonly ModelPrice Sonnet = new(3.00m, 15.00m, 0.30m, 3.75m);

    [Fact]
    public void Charges_uncached_input_and_output_at_their_rates()
    {
        // 1000 × 2.50 + 500 × 10.00 = 7500 per 1M tokens
        var cost = CostCalculator.Cost(new TokenUsage(1000, 500), Gpt4o);

        Assert.Equal(0.0075m, cost);
    }

    [Fact]
    public void Charges_cached_input_at_the_cached_rate_only()
    {
        // 600 uncached × 2.50 + 400 cached × 1.25 + 100 × 10.00 = 1500 + 500 + 1000 = 3000
        var cost = CostCalculator.Cost(new TokenUsage(1000, 100, CachedPromptTokens: 400), Gpt4o);

        Assert.Equal(0.003m, cost);
    }

    [Fact]
    public void Charges_cache_writes_at_the_cache_write_rate_only()
    {
        // 2000 uncached × 3 + 5000 cached × 0.30 + 3000 written × 3.75 + 1000 × 15 = 6000 + 1500 + 11250 + 15000 = 33750
        var cost = CostCalculator.Cost(new TokenUsage(10_000, 1000, CachedPromptTokens: 5000, CacheWriteTokens: 3000), Sonnet);

        Assert.Equal(0.03375m, cost);
    }

    [Fact]
    public void Charges_cached_and_written_tokens_at_the_input_rate_when_the_price_has_no_cache_rates()
    {
        // (100 + 50 + 25) input tokens × 2.00, no output
        var cost = CostCalculator.Cost(new TokenUsage(175, 0, CachedPromptTokens: 50, CacheWriteTokens: 25), new ModelPrice(2m, 8m));

        Assert.Equal(0.00035m, cost);
    }

    [Theory]
    [InlineData(7, 0.000001)]
    [InlineData(5, 0.000001)]
    [InlineData(3, 0)]
    [InlineData(1_234_567, 0.123457)]
    public void Rounds_to_six_decimals_half_away_from_zero(int promptTokens, double expected)
    {
        // promptTokens × 0.10 per 1M: 7 → 0.0000007, 5 → 0.0000005, 3 → 0.0000003, 1234567 → 0.1234567
        var cost = CostCalculator.Cost(new TokenUsage(promptTokens, 0), new ModelPrice(0.10m, 0m));

        Assert.Equal((decimal)expected, cost);
    }

    [Fact]
    public void Free_model_costs_nothing() =>
        Assert.Equal(0m, CostCalculator.Cost(new TokenUsage(1000, 1000, 10, 10), new ModelPrice(0m, 0m)));
}
