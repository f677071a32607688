namespace SfAi.Core.Pricing;

/// <summary>
/// Looks up a per-model value by upstream model name: an exact name first, then the longest listed name that the
/// model extends with a dash (so <c>gpt-4o-mini-2024-07-18</c> finds <c>gpt-4o-mini</c>, never <c>gpt-4o</c>).
/// </summary>
public static class ModelNameLookup
{
    public static T? Find<T>(IReadOnlyDictionary<string, T> table, string model)
        where T : struct => FindEntry(table, model, out var value) ? value : null;

    public static bool FindEntry<T>(IReadOnlyDictionary<string, T> table, string model, out T value)
    {
        if (table.TryGetValue(model, out value!))
        {
            return true;
        }
        var bestLength = 0;
        foreach (var (name, candidate) in table)
        {
            if (name.Length > bestLength && model.Length > name.Length
                && model.StartsWith(name, StringComparison.Ordinal) && model[name.Length] == '-')
            {
                value = candidate;
                bestLength = name.Length;
            }
        }
        return bestLength > 0;
    }
}
