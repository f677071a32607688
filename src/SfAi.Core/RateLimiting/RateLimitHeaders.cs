using System.Globalization;

namespace SfAi.Core.RateLimiting;

/// <summary>The <c>x-ratelimit-{limit,remaining,reset}-{requests,tokens}</c> headers, as OpenAI sends them.</summary>
public static class RateLimitHeaders
{
    public static Dictionary<string, string> For(string kind, LimitState state) => new(3, StringComparer.OrdinalIgnoreCase)
    {
        [$"x-ratelimit-limit-{kind}"] = state.Limit.ToString(CultureInfo.InvariantCulture),
        [$"x-ratelimit-remaining-{kind}"] = state.Remaining.ToString(CultureInfo.InvariantCulture),
        [$"x-ratelimit-reset-{kind}"] = RateLimiter.FormatReset(state.ResetIn),
    };
}
