namespace SfAi.Core.ModelMap;

/// <summary>What <c>/health</c> says of the model map: whether one is loaded, from where, and the last problem.</summary>
public sealed record ModelMapStatus(
    string Source,
    bool Loaded,
    string? Version,
    DateTimeOffset? LoadedAt,
    int AliasCount,
    string? LastError,
    DateTimeOffset? LastErrorAt);
