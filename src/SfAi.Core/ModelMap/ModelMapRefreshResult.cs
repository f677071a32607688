namespace SfAi.Core.ModelMap;

/// <summary>The outcome of one refresh of the model map.</summary>
public enum ModelMapRefreshOutcome
{
    Unchanged,
    Updated,

    /// <summary>A new version broke a rule; the last good map stays in force.</summary>
    Rejected,

    /// <summary>The source could not be read; the last good map stays in force.</summary>
    Unreachable,
}

/// <param name="Outcome">What happened.</param>
/// <param name="Problem">Why a new version was not taken, for <see cref="ModelMapRefreshOutcome.Rejected"/> and <see cref="ModelMapRefreshOutcome.Unreachable"/>.</param>
public sealed record ModelMapRefreshResult(ModelMapRefreshOutcome Outcome, string? Problem = null);
