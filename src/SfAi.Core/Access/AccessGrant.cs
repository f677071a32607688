namespace SfAi.Core.Access;

/// <summary>What an authenticated caller may do.</summary>
/// <param name="Name">The key's name, or <c>anonymous</c>.</param>
/// <param name="Aliases">The aliases it may call; <c>null</c> for all.</param>
/// <param name="RequestsPerMinute">Its own request limit, if any.</param>
/// <param name="TokensPerMinute">Its own token limit, if any.</param>
public sealed record AccessGrant(string Name, IReadOnlySet<string>? Aliases, int? RequestsPerMinute, int? TokensPerMinute)
{
    public const string AnonymousName = "anonymous";

    /// <summary>Everything, for <c>AUTH_MODE=none</c>.</summary>
    public static AccessGrant Open { get; } = new(AnonymousName, null, null, null);

    public bool Allows(string alias) => Aliases is null || Aliases.Contains(alias);
}
