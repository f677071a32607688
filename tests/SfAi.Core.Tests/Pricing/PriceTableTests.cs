using SfAi.Core.Pricing;

namespace SfAi.Core.Tests.Pricing;

public sealed class PriceTableTests
{
    private static readonly PriceTable BuiltIn = PriceTable.WithOverrides(new Dictionary<string, ModelPrice>());

    [Theory]
    [InlineData("gpt-4o-mini", "gpt-4o-mini")]
    [InlineData("gpt-4o", "gpt-4o")]
    [InlineData("gpt-4o-mini-2024-07-18", "gpt-4o-mini")]
    [InlineData("gpt-4o-2024-08-06", "gpt-4o")]
    [InlineData("o3-mini-2025-01-31", "o3-mini")]
    [InlineData("o3-2025-04-16", "o3")]
    [InlineData("claude-sonnet-4-5-20250929", "claude-sonnet-4-5")]
    [InlineData("claude-opus-4-1-20250805", "claude-opus-4-1")]
    public void Finds_a_model_by_its_longest_listed_base_name(string model, string listedAs) =>
        Assert.Equal(DefaultPrices.Table[listedAs], BuiltIn.Find(model));

    [Fact]
    public void Dated_gpt_4o_does_not_take_the_mini_price()
    {
        var price = BuiltIn.Find("gpt-4o-2024-08-06");

        Assert.NotNull(price);
        Assert.Equal(2.50m, price.Input);
        Assert.NotEqual(DefaultPrices.Table["gpt-4o-mini"], price);
    }

    [Theory]
    [InlineData("llama3.1:8b")]
    [InlineData("gpt-4omini")]
    [InlineData("gpt-4")]
    [InlineData("GPT-4O")]
    [InlineData("")]
    public void Unknown_model_has_no_price(string model) => Assert.Null(BuiltIn.Find(model));

    [Fact]
    public void Overrides_replace_a_built_in_entry()
    {
        var table = PriceTable.WithOverrides(new Dictionary<string, ModelPrice> { ["gpt-4o"] = new(1m, 2m) });

        Assert.Equal(new ModelPrice(1m, 2m), table.Find("gpt-4o-2024-08-06"));
        Assert.Equal(DefaultPrices.Table["gpt-4o-mini"], table.Find("gpt-4o-mini"));
    }

    [Fact]
    public void Overrides_add_models_the_built_in_table_lacks()
    {
        var table = PriceTable.WithOverrides(new Dictionary<string, ModelPrice> { ["llama3.1"] = new(0m, 0m) });

        Assert.Equal(new ModelPrice(0m, 0m), table.Find("llama3.1-8b"));
    }
}
