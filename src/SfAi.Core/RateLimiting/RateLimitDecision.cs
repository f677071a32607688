namespace SfAi.Core.RateLimiting;

/// <summary>The state of one limit after a request was counted against it, for the <c>x-ratelimit-*</c> headers.</summary>
/// <param name="Limit">The limit per window.</param>
/// <param name="Remaining">What is left in this window.</param>
/// <param name="ResetIn">How long until the window starts afresh.</param>
public readonly record struct LimitState(long Limit, long Remaining, TimeSpan ResetIn);
