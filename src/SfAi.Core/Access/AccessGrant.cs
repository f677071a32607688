namespace SfAi.Core.Access;

/// <summary>What an authenticated caller may do.</summary>
/// <param name="Name">The key's name, <c>anonymous</c>, or <c>supabase</c> for a Supabase user.</param>
/// <param name="Aliases">The aliases it may call; <c>null</c> for all.</param>
/// <param name="RequestsPerMinute">Its own request limit, if any.</param>
/// <param name="TokensPerMinute">Its own token limit, if any.</param>
public sealed record AccessGrant(string Name, IReadOnlySet<string>? Aliases, int? RequestsPerMinute, int? TokensPerMinute)
{
    public const string AnonymousName = "anonymous";

    /// <summary>Everything, for <c>AUTH_MODE=none</c>.</summary>
    public static AccessGrant Open { get; } = new(AnonymousName, null, null, null) { Admin = true };

    /// <summary>The Supabase user (<c>sub</c>) behind the request; <c>null</c> for a gateway key or anonymous caller.</summary>
    public string? UserId { get; init; }

    /// <summary>The Supabase user's email, when the token carries one.</summary>
    public string? UserEmail { get; init; }

    /// <summary>Whether it may read the usage figures of every caller (<c>"admin": true</c>).</summary>
    public bool Admin { get; init; }

    /// <summary>What it may spend per day and month, if limited; counted on <see cref="LimitKey"/>.</summary>
    public Budgets.SpendBudget? Budget { get; init; }

    /// <summary>Whose counters the per-minute limits use: each Supabase user's own, else the key's.</summary>
    public string LimitKey => UserId is null ? $"key:{Name}" : $"user:{UserId}";

    /// <summary>How a limit message names the one it applies to.</summary>
    public string LimitOwner => UserId is null ? $"key '{Name}'" : $"user '{UserId}'";

    /// <summary>Whose budget this grant's is: <c>user</c>, <c>anonymous</c> or <c>key</c>.</summary>
    public string BudgetScope => UserId is not null ? "user" : Name == AnonymousName ? "anonymous" : "key";

    /// <summary>The user's id or the key's name; null for the anonymous callers.</summary>
    public string? BudgetName => UserId ?? (Name == AnonymousName ? null : Name);

    public bool Allows(string alias) => Aliases is null || Aliases.Contains(alias);
}
