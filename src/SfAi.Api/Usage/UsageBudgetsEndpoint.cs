using System.Globalization;
using System.Text.Json;
using SfAi.Core.Access;
using SfAi.Core.Budgets;
using SfAi.Core.Configuration;
using SfAi.Core.Json;
using SfAi.Core.Usage.Ledger;

namespace SfAi.Api.Usage;

/// <summary>
/// <c>GET /v1/usage/budgets</c>, for admin keys: every budget of the keys file (each key's, the anonymous callers',
/// each Supabase user's who has spent this month as the ledger knows) and the gateway's, with what was spent in its
/// current day or month and what remains, read from the counters the budgets are enforced on.
/// </summary>
internal static class UsageBudgetsEndpoint
{
    public static async Task HandleAsync(HttpContext context, IServiceProvider services)
    {
        UsageEndpoint.RequireAdmin(context);
        var keys = services.GetRequiredService<ReloadableConfig<ApiKeySet>>().Current;
        var owners = new List<AccessGrant>();
        foreach (var key in keys.Keys.Where(k => k.Budget is not null).DistinctBy(k => k.Name, StringComparer.Ordinal))
        {
            owners.Add(new AccessGrant(key.Name, null, null, null) { Budget = key.Budget });
        }
        if (keys.Anonymous is { Budget: not null } anonymous)
        {
            owners.Add(anonymous);
        }
        if (keys.Supabase is { Budget: { } userBudget } && services.GetService<IUsageLedger>() is { } ledger)
        {
            var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
            var monthStart = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
            var users = await ledger.QueryAsync(new UsageQuery(monthStart, monthStart.AddMonths(1), UsageGroupBy.User), context.RequestAborted);
            owners.AddRange(users.Where(u => u.Group != UsageFigures.NoUser)
                .Select(u => new AccessGrant(Core.Access.Supabase.SessionErrors.KeyName, null, null, null) { UserId = u.Group, Budget = userBudget }));
        }
        var budgets = await services.GetRequiredService<BudgetGuard>().StatusAsync(owners, context.RequestAborted);
        await UsageEndpoint.RespondAsync(context, JsonWriting.Write(budgets, static (writer, budgets) => Write(writer, budgets)));
    }

    private static void Write(Utf8JsonWriter writer, IReadOnlyList<BudgetStatus> budgets)
    {
        writer.WriteStartObject();
        writer.WriteString("object", "list");
        writer.WriteStartArray("data");
        foreach (var budget in budgets)
        {
            writer.WriteStartObject();
            writer.WriteString("scope", budget.Scope);
            writer.WriteString("name", budget.Name);
            writer.WriteString("period", budget.Period);
            writer.WriteNumber("budget_usd", budget.BudgetUsd);
            Usd(writer, "spent_usd", budget.SpentUsd);
            Usd(writer, "remaining_usd", budget.RemainingUsd);
            writer.WriteString("resets_at", budget.ResetsAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            writer.WriteBoolean("strict", budget.Strict);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>To the millionth of a dollar, as costs are logged; null when the store could not tell.</summary>
    private static void Usd(Utf8JsonWriter writer, string name, decimal? usd)
    {
        if (usd is { } value)
        {
            writer.WriteNumber(name, Math.Round(value, 6, MidpointRounding.AwayFromZero));
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
