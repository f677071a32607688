using System.Text.Json;
using System.Text.Json.Nodes;
using SfAi.Core.Configuration;

namespace SfAi.Core.Budgets;

/// <summary>
/// What a key, the anonymous callers or each Supabase user may spend (the keys file's <c>"budget"</c>), per UTC day and
/// per UTC month. A call is refused once the spend has reached a budget; its own cost may take the spend past it,
/// unless <paramref name="Strict"/>, where the call's worst case must fit before it goes upstream.
/// </summary>
public sealed record SpendBudget(decimal? DailyUsd, decimal? MonthlyUsd, bool Strict)
{
    private static readonly string[] Fields = ["dailyUsd", "monthlyUsd", "strict"];
    private const decimal LargestUsd = 1_000_000_000m;

    /// <summary>The <c>budget</c> object of <paramref name="parent"/>, checked; <c>null</c> when there is none (or it is wrong: see the reader's problems).</summary>
    public static SpendBudget? Read(JsonFieldReader reader, JsonObject parent, string path)
    {
        if (reader.Optional<JsonObject>(parent, "budget", path, "an object with 'dailyUsd' and/or 'monthlyUsd'") is not { } budget)
        {
            return null;
        }
        var at = $"{path}.budget";
        reader.CheckFields(budget, at, Fields);
        var daily = reader.PositiveNumber(budget, "dailyUsd", at, LargestUsd);
        var monthly = reader.PositiveNumber(budget, "monthlyUsd", at, LargestUsd);
        if (budget["dailyUsd"] is null && budget["monthlyUsd"] is null)
        {
            reader.Problem(at, "needs 'dailyUsd' and/or 'monthlyUsd' (US dollars)");
        }
        var strict = false;
        if (budget["strict"] is { } flag)
        {
            if (flag.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
            {
                strict = flag.GetValue<bool>();
            }
            else
            {
                reader.Problem($"{at}.strict", "must be true or false");
            }
        }
        return daily is null && monthly is null ? null : new SpendBudget(daily, monthly, strict);
    }
}
