using SfAi.Api.Configuration;
using SfAi.Api.Logging;
using SfAi.Api.Endpoints;
using SfAi.Api.Pipeline;
using SfAi.Core.Access;
using SfAi.Core.Errors;
using SfAi.Core.Logging;

namespace SfAi.Api.Access;

/// <summary>
/// Lets through only callers with a valid gateway key or Supabase session (or, where the keys file allows it,
/// anonymous callers on the aliases it names) on every route with the <see cref="RoutePolicies.Keys"/> policy; an unknown route is checked too, so
/// its 404 tells nothing to a caller without a key. <c>AUTH_MODE=none</c> opens everything, as the seed was.
/// </summary>
internal sealed class AccessMiddleware
{
    private readonly RequestDelegate _next;
    private readonly CallerAuthenticator _callers;
    private readonly GatewayOptions _options;

    public AccessMiddleware(RequestDelegate next, CallerAuthenticator callers, GatewayOptions options)
    {
        _next = next;
        _callers = callers;
        _options = options;
    }

    /// <summary>A key checked without waiting (every gateway key; a session whose signing key is cached) adds no await to the request.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Gateway();
        if (!_options.RequireKeys || request.Route is { } route && !route.Has(RoutePolicies.Keys))
        {
            return _next(context);
        }
        var grant = _callers.AuthenticateAsync(context.Request, context.RequestAborted);
        if (!grant.IsCompletedSuccessfully)
        {
            return WhenAuthenticatedAsync(context, request, grant);
        }
        request.Grant = grant.Result;
        return _next(context);
    }

    private async Task WhenAuthenticatedAsync(HttpContext context, GatewayRequestFeature request, ValueTask<AccessGrant> grant)
    {
        request.Grant = await grant;
        await _next(context);
    }
}
