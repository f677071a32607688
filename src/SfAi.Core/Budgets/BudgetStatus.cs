namespace SfAi.Core.Budgets;

/// <summary>
/// One budget as it stands: whose (<c>Scope</c> <c>key</c>, <c>user</c>, <c>anonymous</c> or <c>gateway</c>, and the
/// key's name or user's id), its period (<c>daily</c> or <c>monthly</c>), its amount, what has been spent in the
/// current period (null when the shared store cannot tell) and when that period ends.
/// </summary>
public sealed record BudgetStatus(string Scope, string? Name, string Period, decimal BudgetUsd, decimal? SpentUsd, DateTimeOffset ResetsAt, bool Strict)
{
    public decimal? RemainingUsd => SpentUsd is { } spent ? Math.Max(0, BudgetUsd - spent) : null;
}
