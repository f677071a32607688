using Microsoft.Net.Http.Headers;

namespace SfAi.Api.Access;

/// <summary>The gateway key a client sent, in whichever header its SDK uses: <c>Authorization: Bearer</c>, <c>x-api-key</c> or <c>apikey</c>.</summary>
internal static class PresentedKey
{
    public static string? From(HttpRequest request)
    {
        if (Bearer(request) is { } bearer)
        {
            return bearer;
        }
        foreach (var header in new[] { "x-api-key", "apikey" })
        {
            var value = request.Headers[header].ToString().Trim();
            if (value.Length > 0)
            {
                return value;
            }
        }
        return null;
    }

    /// <summary>The <c>Authorization: Bearer</c> value, if any.</summary>
    public static string? Bearer(HttpRequest request)
    {
        var authorization = request.Headers[HeaderNames.Authorization].ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var bearer = authorization["Bearer ".Length..].Trim();
            if (bearer.Length > 0)
            {
                return bearer;
            }
        }
        return null;
    }

    /// <summary>The <c>apikey</c> header (what Supabase clients send beside a session), if any.</summary>
    public static string? ApiKeyHeader(HttpRequest request) =>
        request.Headers["apikey"].ToString().Trim() is { Length: > 0 } value ? value : null;
}
