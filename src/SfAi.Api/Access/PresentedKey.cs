using Microsoft.Net.Http.Headers;

namespace SfAi.Api.Access;

/// <summary>The gateway key a client sent, in whichever header its SDK uses: <c>Authorization: Bearer</c>, <c>x-api-key</c> or <c>apikey</c>.</summary>
internal static class PresentedKey
{
    public static string? From(HttpRequest request)
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
}
