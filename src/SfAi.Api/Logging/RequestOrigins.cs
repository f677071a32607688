using SfAi.Api.Access;
using SfAi.Api.Middleware;
using SfAi.Core.Logging;

namespace SfAi.Api.Logging;

/// <summary>Who sent a request, for its log events.</summary>
internal static class RequestOrigins
{
    public static RequestOrigin From(HttpContext context) => new(
        RequestIdMiddleware.Get(context),
        NullIfEmpty(context.Request.Headers.UserAgent.ToString()),
        NullIfEmpty(context.Request.Headers.Origin.ToString()),
        AccessMiddleware.Grant(context).Name);

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
