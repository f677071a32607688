namespace SfAi.Core.Configuration;

/// <summary>The outcome of one refresh of a configuration file.</summary>
public enum ConfigRefreshOutcome
{
    Unchanged,
    Updated,

    /// <summary>A new version broke a rule; the last good one stays in force.</summary>
    Rejected,

    /// <summary>The source could not be read; the last good version stays in force.</summary>
    Unreachable,
}

/// <param name="Outcome">What happened.</param>
/// <param name="Problem">Why a new version was not taken, for <see cref="ConfigRefreshOutcome.Rejected"/> and <see cref="ConfigRefreshOutcome.Unreachable"/>.</param>
public sealed record ConfigRefreshResult(ConfigRefreshOutcome Outcome, string? Problem = null);
