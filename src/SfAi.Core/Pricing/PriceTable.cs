namespace SfAi.Core.Pricing;

/// <summary>
/// Finds the price of an upstream model: an exact name first, then the longest listed name that the model
/// extends with a dash (so <c>gpt-4o-mini-2024-07-18</c> is priced as <c>gpt-4o-mini</c>).
/// </summary>
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

    public ModelPrice? Find(string model)
    {
        if (_prices.TryGetValue(model, out var exact))
        {
            return exact;
        }
        ModelPrice? best = null;
        var bestLength = 0;
        foreach (var (name, price) in _prices)
        {
            if (name.Length > bestLength && model.Length > name.Length
                && model.StartsWith(name, StringComparison.Ordinal) && model[name.Length] == '-')
            {
                best = price;
                bestLength = name.Length;
            }
        }
        return best;
    }
}
