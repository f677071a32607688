using SfAi.Api.Endpoints;
using SfAi.Api.Pipeline;
using SfAi.Api.Logging;
using SfAi.Core.Errors;
using SfAi.Core.Logging;
using SfAi.Core.RateLimiting;

namespace SfAi.Api.RateLimiting;

/// <summary>
/// Counts each request to a route with the <see cref="RoutePolicies.RequestLimits"/> policy against the gateway's and the caller's per-minute request limits; over a limit the
/// caller gets 429 with <c>Retry-After</c> and <c>x-ratelimit-*</c> headers, and an <c>llm_error</c> of type
/// <c>rate_limited</c> is logged, as the seed did; a store that cannot count, with <c>RATE_LIMIT_STORE_FAILURE=closed</c>, gets 503.
/// </summary>
internal sealed class RateLimitMiddleware
{
    private readonly RequestDelegate _next;
    private readonly RateLimiter _limiter;

    public RateLimitMiddleware(RequestDelegate next, RateLimiter limiter)
    {
        _next = next;
        _limiter = limiter;
    }

    /// <summary>Counters answered without waiting (in memory) add no await to the request.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Gateway();
        if (request.Route is not { } route || !route.Has(RoutePolicies.RequestLimits))
        {
            return _next(context);
        }
        var acquired = _limiter.AcquireRequestAsync(request.Grant, context.RequestAborted);
        if (!acquired.IsCompletedSuccessfully)
        {
            return WhenCountedAsync(context, acquired);
        }
        SetHeaders(context, acquired.Result);
        return _next(context);
    }

    private async Task WhenCountedAsync(HttpContext context, ValueTask<LimitState?> acquired)
    {
        SetHeaders(context, await acquired);
        await _next(context);
    }

    private static void SetHeaders(HttpContext context, LimitState? state)
    {
        if (state is null)
        {
            return;
        }
        foreach (var (name, value) in RateLimitHeaders.For("requests", state.Value))
        {
            context.Response.Headers[name] = value;
        }
    }
}
