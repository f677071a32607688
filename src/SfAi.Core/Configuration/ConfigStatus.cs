namespace SfAi.Core.Configuration;

/// <summary>What <c>/health</c> says of a configuration file: whether one is loaded, from where, and the last problem.</summary>
public sealed record ConfigStatus(
    string Source,
    bool Loaded,
    string? Version,
    DateTimeOffset? LoadedAt,
    string? LastError,
    DateTimeOffset? LastErrorAt);
