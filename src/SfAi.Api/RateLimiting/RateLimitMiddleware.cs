using System.Diagnostics;
using System.Globalization;
using SfAi.Api.Access;
using SfAi.Api.Chat;
using SfAi.Api.Logging;
using SfAi.Core.Errors;
using SfAi.Core.Logging;
using SfAi.Core.RateLimiting;

namespace SfAi.Api.RateLimiting;

/// <summary>
/// Counts each chat completion against the gateway's and the caller's per-minute request limits; over a limit the
/// caller gets 429 with <c>Retry-After</c> and <c>x-ratelimit-*</c> headers, and an <c>llm_error</c> of type
/// <c>rate_limited</c> is logged, as the seed did.
/// </summary>
internal sealed class RateLimitMiddleware
{
    private readonly RequestDelegate _next;
    private readonly RateLimiter _limiter;
    private readonly GatewayEventLog _log;

    public RateLimitMiddleware(RequestDelegate next, RateLimiter limiter, GatewayEventLog log)
    {
        _next = next;
        _limiter = limiter;
        _log = log;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method) || !context.Request.Path.Value!.EndsWith("/chat/completions", StringComparison.Ordinal))
        {
            await _next(context);
            return;
        }
        var started = Stopwatch.GetTimestamp();
        try
        {
            if (await _limiter.AcquireRequestAsync(AccessMiddleware.Grant(context), context.RequestAborted) is { } state)
            {
                WriteHeaders(context.Response, "requests", state);
            }
        }
        catch (GatewayException ex) when (ex.Error.Kind == ErrorKinds.RateLimited)
        {
            _log.Error(CompletionRecordBuilder.Error(RequestOrigins.From(context), ex.Error, null, Stopwatch.GetElapsedTime(started)));
            await ErrorResponse.WriteAsync(context, ex.Error);
            return;
        }
        await _next(context);
    }

    public static void WriteHeaders(HttpResponse response, string kind, LimitState state)
    {
        response.Headers[$"x-ratelimit-limit-{kind}"] = state.Limit.ToString(CultureInfo.InvariantCulture);
        response.Headers[$"x-ratelimit-remaining-{kind}"] = state.Remaining.ToString(CultureInfo.InvariantCulture);
        response.Headers[$"x-ratelimit-reset-{kind}"] = RateLimiter.FormatReset(state.ResetIn);
    }
}
