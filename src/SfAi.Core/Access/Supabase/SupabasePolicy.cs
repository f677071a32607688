namespace SfAi.Core.Access.Supabase;

/// <summary>
/// The keys file's <c>"supabase"</c> section: what every verified Supabase user may do, each counted on their own.
/// </summary>
/// <param name="Aliases">The aliases a user may call; <c>null</c> for all.</param>
/// <param name="RequestsPerMinute">Each user's request limit, if any.</param>
/// <param name="TokensPerMinute">Each user's token limit, if any.</param>
/// <param name="TrustAppMetadata">Whether a token's <c>app_metadata.sfai</c> (written only by the project's admins) overrides these.</param>
/// <param name="Budget">What each user may spend, counted per user (<c>sub</c>).</param>
public sealed record SupabasePolicy(
    IReadOnlySet<string>? Aliases,
    int? RequestsPerMinute,
    int? TokensPerMinute,
    bool TrustAppMetadata,
    Budgets.SpendBudget? Budget);
