namespace SfAi.Core.Access;

/// <summary>One gateway key as stored: never the key itself, only its SHA-256.</summary>
/// <param name="Name">Who holds it; appears in every log event of its requests.</param>
/// <param name="Sha256">The SHA-256 of the key's UTF-8 bytes.</param>
/// <param name="Aliases">The aliases it may call; <c>null</c> for all.</param>
/// <param name="RequestsPerMinute">Its own request limit, if any.</param>
/// <param name="TokensPerMinute">Its own token limit, if any.</param>
/// <param name="ExpiresAt">When it stops working, if ever.</param>
public sealed record ApiKeyEntry(
    string Name,
    byte[] Sha256,
    IReadOnlySet<string>? Aliases,
    int? RequestsPerMinute,
    int? TokensPerMinute,
    DateTimeOffset? ExpiresAt)
{
    /// <summary>Whether the key may read every caller's usage figures.</summary>
    public bool Admin { get; init; }

    /// <summary>What the key may spend, if limited.</summary>
    public Budgets.SpendBudget? Budget { get; init; }
}
