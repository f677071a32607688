using SfAi.Core.Pricing;
using SfAi.Core.Tests.Support;

namespace SfAi.Core.Tests.ModelMap;

public sealed class ModelMapParserPriceTests
{
    private const string Prices = """
        , "prices": {
          "gpt-4o-mini": { "input": 1, "output": 2, "cachedInput": 0.5 },
          "my-model": { "input": 0.2, "output": 0.4 }
        }
        """;

    private static ModelPrice? PriceOf(string alias) => Maps.Parse(Maps.Map(aliases: $$"""{ "a": {{alias}} }""", extra: Prices)).Aliases["a"].Price;

    [Fact]
    public void Alias_price_overrides_the_map_prices() =>
        Assert.Equal(
            new ModelPrice(9m, 18m),
            PriceOf("""{ "provider": "openai", "model": "gpt-4o-mini", "price": { "input": 9, "output": 18 } }"""));

    [Fact]
    public void Map_prices_override_the_built_in_table() =>
        Assert.Equal(new ModelPrice(1m, 2m, 0.5m), PriceOf("""{ "provider": "openai", "model": "gpt-4o-mini" }"""));

    [Fact]
    public void Built_in_table_prices_a_model_the_map_does_not_list() =>
        Assert.Equal(new ModelPrice(2.50m, 10.00m, 1.25m), PriceOf("""{ "provider": "openai", "model": "gpt-4o" }"""));

    [Theory]
    [InlineData("my-model-2025-01-01", 0.2, 0.4)]
    [InlineData("gpt-4o-mini-2024-07-18", 1, 2)]
    public void Dated_model_takes_the_map_price_of_its_base_name(string model, double input, double output)
    {
        var price = PriceOf($$"""{ "provider": "openai", "model": "{{model}}" }""");

        Assert.NotNull(price);
        Assert.Equal((input, output), ((double)price.Input, (double)price.Output));
    }

    [Fact]
    public void Unknown_model_has_no_price() =>
        Assert.Null(PriceOf("""{ "provider": "openai", "model": "llama3.1:8b" }"""));

    [Fact]
    public void Alias_price_keeps_its_cache_rates() =>
        Assert.Equal(
            new ModelPrice(3m, 15m, 0.3m, 3.75m),
            PriceOf("""{ "provider": "openai", "model": "m", "price": { "input": 3, "output": 15, "cachedInput": 0.3, "cacheWrite": 3.75 } }"""));
}
