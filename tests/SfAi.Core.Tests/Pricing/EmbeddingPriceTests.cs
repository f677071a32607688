using SfAi.Core.Pricing;
using SfAi.Core.Usage;

namespace SfAi.Core.Tests.Pricing;

/// <summary>OpenAI's embedding models are in the shipped table: input tokens only (https://openai.com/api/pricing).</summary>
public sealed class EmbeddingPriceTests
{
    [Theory]
    [InlineData("text-embedding-3-small", 0.02)]
    [InlineData("text-embedding-3-large", 0.13)]
    [InlineData("text-embedding-ada-002", 0.10)]
    public void Prices_a_million_input_tokens(string model, double usd)
    {
        var price = PriceTable.WithOverrides(new Dictionary<string, ModelPrice>()).Find(model)!;

        Assert.Equal((decimal)usd, CostCalculator.Cost(new TokenUsage(1_000_000, 0), price));
        Assert.Equal(0m, price.Output);
    }
}
