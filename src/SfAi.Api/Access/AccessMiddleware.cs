using System.Diagnostics;
using SfAi.Api.Chat;
using SfAi.Api.Configuration;
using SfAi.Api.Logging;
using SfAi.Api.Middleware;
using SfAi.Core.Access;
using SfAi.Core.Configuration;
using SfAi.Core.Errors;
using SfAi.Core.Logging;

namespace SfAi.Api.Access;

/// <summary>
/// Lets through only callers with a valid gateway key (or, where the keys file allows it, anonymous callers on the
/// aliases it names). <c>/health</c> stays open. <c>AUTH_MODE=none</c> opens everything, as the seed was.
/// </summary>
internal sealed class AccessMiddleware
{
    private static readonly object GrantKey = new();
    private readonly RequestDelegate _next;
    private readonly ReloadableConfig<ApiKeySet> _keys;
    private readonly GatewayOptions _options;
    private readonly GatewayEventLog _log;
    private readonly TimeProvider _time;

    public AccessMiddleware(RequestDelegate next, ReloadableConfig<ApiKeySet> keys, GatewayOptions options, GatewayEventLog log, TimeProvider time)
    {
        _next = next;
        _keys = keys;
        _options = options;
        _log = log;
        _time = time;
    }

    /// <summary>The caller's grant; open when no check ran (health, <c>AUTH_MODE=none</c>).</summary>
    public static AccessGrant Grant(HttpContext context) =>
        context.Items.TryGetValue(GrantKey, out var grant) && grant is AccessGrant g ? g : AccessGrant.Open;

    public async Task InvokeAsync(HttpContext context)
    {
        if (!_options.RequireKeys || context.Request.Path.StartsWithSegments("/health"))
        {
            await _next(context);
            return;
        }
        var started = Stopwatch.GetTimestamp();
        AccessGrant grant;
        try
        {
            grant = ApiKeyVerifier.Authenticate(_keys.Current, PresentedKey.From(context.Request), _time.GetUtcNow());
        }
        catch (GatewayException ex)
        {
            var origin = RequestOrigins.From(context) with { KeyName = ex.Error.KeyName ?? AccessGrant.AnonymousName };
            _log.Error(CompletionRecordBuilder.Error(origin, ex.Error, null, Stopwatch.GetElapsedTime(started)));
            await ErrorResponse.WriteAsync(context, ex.Error);
            return;
        }
        context.Items[GrantKey] = grant;
        await _next(context);
    }
}
