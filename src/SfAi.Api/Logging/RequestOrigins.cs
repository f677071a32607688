using SfAi.Api.Pipeline;
using SfAi.Core.Logging;

namespace SfAi.Api.Logging;

/// <summary>Who sent a request, for its log events.</summary>
internal static class RequestOrigins
{
    public static RequestOrigin From(HttpContext context)
    {
        var request = context.Gateway();
        var grant = request.Grant;
        return new(
            request.RequestId,
            NullIfEmpty(context.Request.Headers.UserAgent.ToString()),
            NullIfEmpty(context.Request.Headers.Origin.ToString()),
            grant.Name,
            grant.UserId,
            grant.UserEmail is null ? null : context.RequestServices.GetRequiredService<UserTextPolicy>().ApplyToIdentity(grant.UserEmail));
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
