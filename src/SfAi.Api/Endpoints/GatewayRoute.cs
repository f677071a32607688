namespace SfAi.Api.Endpoints;

/// <summary>The wire protocol a route speaks: it decides the shape of the route's answers and errors.</summary>
internal enum GatewayProtocol
{
    OpenAIChat,
    Gateway,
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

/// <summary>One route the gateway serves, declared once in <see cref="GatewayRoutes"/>.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The canonical path, as the 404 lists it.</param>
/// <param name="OptionalV1">Whether the path also answers without its <c>/v1</c> prefix (the seed's clients call <c>/chat/completions</c>).</param>
/// <param name="Protocol">The protocol of the route's answers and errors.</param>
/// <param name="Policies">The checks a request to this route goes through.</param>
/// <param name="Handler">What answers the request.</param>
internal sealed record GatewayRoute(string Method, string Path, bool OptionalV1, GatewayProtocol Protocol, RoutePolicies Policies, RequestDelegate Handler)
{
    public bool Has(RoutePolicies policy) => (Policies & policy) == policy;

    /// <summary>Whether a request path names this route: any case, one optional trailing slash, <c>/v1</c> optional where allowed.</summary>
    public bool Matches(ReadOnlySpan<char> path)
    {
        if (path.Length > 1 && path[^1] == '/')
        {
            path = path[..^1];
        }
        if (path.Equals(Path, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        return OptionalV1 && Path.StartsWith("/v1/", StringComparison.Ordinal)
            && path.Equals(Path.AsSpan(3), StringComparison.OrdinalIgnoreCase);
    }
}
