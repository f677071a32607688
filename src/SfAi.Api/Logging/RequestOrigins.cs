using SfAi.Api.Pipeline;
using SfAi.Core.Logging;

namespace SfAi.Api.Logging;

/// <summary>Who sent a request, for its log events.</summary>
internal static class RequestOrigins
{
    public static RequestOrigin From(HttpContext context)
    {
        var request = context.Gateway();
        return new(
            request.RequestId,
            NullIfEmpty(context.Request.Headers.UserAgent.ToString()),
            NullIfEmpty(context.Request.Headers.Origin.ToString()),
            request.Grant.Name);
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
