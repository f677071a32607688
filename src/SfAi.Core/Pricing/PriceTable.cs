namespace SfAi.Core.Pricing;

/// <summary>The price of each upstream model, found as <see cref="ModelNameLookup"/> describes.</summary>
public sealed class PriceTable
{
    private readonly IReadOnlyDictionary<string, ModelPrice> _prices;

    public PriceTable(IReadOnlyDictionary<string, ModelPrice> prices) => _prices = prices;

    /// <summary>The built-in table with <paramref name="overrides"/> on top.</summary>
    public static PriceTable WithOverrides(IReadOnlyDictionary<string, ModelPrice> overrides)
    {
        var merged = new Dictionary<string, ModelPrice>(DefaultPrices.Table, StringComparer.Ordinal);
        foreach (var (model, price) in overrides)
        {
            merged[model] = price;
        }
        return new PriceTable(merged);
    }

    public ModelPrice? Find(string model) => ModelNameLookup.FindEntry(_prices, model, out var price) ? price : null;
}
