using SfAi.Core.Access.Supabase;

namespace SfAi.Core.Access;

/// <summary>
/// The parsed keys file: the keys, what a caller without a key may do (nothing unless configured), and what a
/// verified Supabase user may do (nothing unless configured).
/// </summary>
public sealed record ApiKeySet(IReadOnlyList<ApiKeyEntry> Keys, AccessGrant? Anonymous, SupabasePolicy? Supabase = null)
{
    public static ApiKeySet Empty { get; } = new([], null);
}
