namespace SfAi.Api.Endpoints;

/// <summary>The wire protocol a route speaks: it decides the shape of the route's answers and errors.</summary>
internal enum GatewayProtocol
{
    OpenAIChat,
    Gateway,
    OpenAIResponses,
    AnthropicMessages,
}

/// <summary>The policies a route is subject to; every step reads them from the matched route, never from the path.</summary>
[Flags]
internal enum RoutePolicies
{
    None = 0,

    /// <summary>A gateway key (or the keys file's anonymous grant) is required.</summary>
    Keys = 1,

    /// <summary>Counts against the gateway's and the caller's per-minute request limits.</summary>
    RequestLimits = 2,
}

/// <summary>
/// Answers a request to a route. <paramref name="services"/> are the application's: every service the gateway registers
/// is a singleton, so a request needs no scope of its own (<c>HttpContext.RequestServices</c> would make one per request).
/// </summary>
internal delegate Task RouteHandler(HttpContext context, IServiceProvider services);

/// <summary>One route the gateway serves, declared once in <see cref="GatewayRoutes"/>.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The canonical path, as the 404 lists it; a <c>{name}</c> segment matches any one segment.</param>
/// <param name="OptionalV1">Whether the path also answers without its <c>/v1</c> prefix (the seed's clients call <c>/chat/completions</c>).</param>
/// <param name="Protocol">The protocol of the route's answers and errors.</param>
/// <param name="Policies">The checks a request to this route goes through.</param>
/// <param name="Handler">What answers the request.</param>
internal sealed record GatewayRoute(string Method, string Path, bool OptionalV1, GatewayProtocol Protocol, RoutePolicies Policies, RouteHandler Handler)
{
    public bool Has(RoutePolicies policy) => (Policies & policy) == policy;

    /// <summary>Whether a request path names this route: any case, one optional trailing slash, <c>/v1</c> optional where allowed.</summary>
    public bool Matches(ReadOnlySpan<char> path)
    {
        if (path.Length > 1 && path[^1] == '/')
        {
            path = path[..^1];
        }
        if (Path.Contains('{', StringComparison.Ordinal))
        {
            return MatchesTemplate(path, Path) || OptionalV1 && Path.StartsWith("/v1/", StringComparison.Ordinal) && MatchesTemplate(path, Path.AsSpan(3));
        }
        if (path.Equals(Path, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        return OptionalV1 && Path.StartsWith("/v1/", StringComparison.Ordinal)
            && path.Equals(Path.AsSpan(3), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A path against a template whose <c>{name}</c> segments match any one non-empty segment.</summary>
    private static bool MatchesTemplate(ReadOnlySpan<char> path, ReadOnlySpan<char> template)
    {
        while (!template.IsEmpty)
        {
            if (path.IsEmpty || path[0] != '/' || template[0] != '/')
            {
                return false;
            }
            path = path[1..];
            template = template[1..];
            var pathEnd = path.IndexOf('/') is var p and >= 0 ? p : path.Length;
            var templateEnd = template.IndexOf('/') is var t and >= 0 ? t : template.Length;
            var segment = template[..templateEnd];
            var isParameter = segment.Length > 2 && segment[0] == '{' && segment[^1] == '}';
            if (isParameter ? pathEnd == 0 : !path[..pathEnd].Equals(segment, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
            path = path[pathEnd..];
            template = template[templateEnd..];
        }
        return path.IsEmpty;
    }
}
