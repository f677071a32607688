namespace SfAi.Core.Access;

/// <summary>The parsed keys file: the keys, and what a caller without a key may do (nothing unless configured).</summary>
public sealed record ApiKeySet(IReadOnlyList<ApiKeyEntry> Keys, AccessGrant? Anonymous)
{
    public static ApiKeySet Empty { get; } = new([], null);
}
