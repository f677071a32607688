namespace SfAi.Api.Endpoints;

/// <summary>
/// The routes the gateway serves, as data: each declared once with its protocol and policies, matched once per request
/// (<see cref="Match"/>), so no later step tests a path — a check keyed on a path would be skipped by another spelling of
/// it. A handful of fixed paths need no router, which spares every request the routing middleware and the cold start
/// its set-up (~7 ms of ~50 under native AOT, measured with bench/run.sh).
/// </summary>
internal static class GatewayRoutes
{
    public static readonly IReadOnlyList<GatewayRoute> All =
    [
        new("POST", "/v1/chat/completions", OptionalV1: true, GatewayProtocol.OpenAIChat,
            RoutePolicies.Keys | RoutePolicies.RequestLimits, GatewayEndpoints.ChatCompletionsAsync),
        new("GET", "/v1/models", OptionalV1: true, GatewayProtocol.OpenAIChat, RoutePolicies.Keys, GatewayEndpoints.ModelsAsync),
        new("GET", "/health", OptionalV1: false, GatewayProtocol.Gateway, RoutePolicies.None, GatewayEndpoints.HealthAsync),
        new("POST", "/v1/embeddings", OptionalV1: true, GatewayProtocol.OpenAIChat,
            RoutePolicies.Keys | RoutePolicies.RequestLimits, GatewayEndpoints.EmbeddingsAsync),
        new("POST", "/v1/completions", OptionalV1: true, GatewayProtocol.OpenAIChat,
            RoutePolicies.Keys | RoutePolicies.RequestLimits, GatewayEndpoints.CompletionsAsync),
        new("GET", "/v1/usage", OptionalV1: false, GatewayProtocol.Gateway, RoutePolicies.Keys, Usage.UsageEndpoint.HandleAsync),
        new("GET", "/usage", OptionalV1: false, GatewayProtocol.Gateway, RoutePolicies.None, Usage.UsagePage.HandleAsync),
        new("POST", "/v1/responses", OptionalV1: true, GatewayProtocol.OpenAIResponses,
            RoutePolicies.Keys | RoutePolicies.RequestLimits, GatewayEndpoints.ResponsesAsync),
        new("GET", "/v1/responses/{id}", OptionalV1: true, GatewayProtocol.OpenAIResponses,
            RoutePolicies.Keys | RoutePolicies.RequestLimits, GatewayEndpoints.StoredResponseAsync),
        new("DELETE", "/v1/responses/{id}", OptionalV1: true, GatewayProtocol.OpenAIResponses,
            RoutePolicies.Keys | RoutePolicies.RequestLimits, GatewayEndpoints.StoredResponseAsync),
        new("GET", "/v1/responses/{id}/input_items", OptionalV1: true, GatewayProtocol.OpenAIResponses,
            RoutePolicies.Keys | RoutePolicies.RequestLimits, GatewayEndpoints.StoredResponseAsync),
        new("POST", "/v1/messages", OptionalV1: true, GatewayProtocol.AnthropicMessages,
            RoutePolicies.Keys | RoutePolicies.RequestLimits, GatewayEndpoints.MessagesAsync),
        new("POST", "/v1/messages/count_tokens", OptionalV1: true, GatewayProtocol.AnthropicMessages,
            RoutePolicies.Keys | RoutePolicies.RequestLimits, GatewayEndpoints.CountTokensAsync),
        new("GET", "/v1/usage/budgets", OptionalV1: false, GatewayProtocol.Gateway, RoutePolicies.Keys, Usage.UsageBudgetsEndpoint.HandleAsync),
    ];

    /// <summary>What the gateway serves, for the 404 of an unknown route.</summary>
    public static readonly string Served = string.Join(", ", All.Select(r => $"{r.Method} {r.Path}"));

    /// <summary>
    /// The protocol a request's errors are written in: its route's, or for a path served with another method, that
    /// path's (a <c>GET /v1/chat/completions</c> gets an OpenAI 404); the gateway's own (OpenAI-shaped) otherwise.
    /// </summary>
    public static GatewayProtocol ProtocolOf(GatewayRoute? matched, string? path)
    {
        if (matched is not null)
        {
            return matched.Protocol;
        }
        foreach (var route in All)
        {
            if (route.Matches(path))
            {
                return route.Protocol;
            }
        }
        return GatewayProtocol.Gateway;
    }

    /// <summary>The route for a method and path, or null when the gateway serves no such route.</summary>
    public static GatewayRoute? Match(string method, string? path)
    {
        foreach (var route in All)
        {
            if (string.Equals(route.Method, method, StringComparison.OrdinalIgnoreCase) && route.Matches(path))
            {
                return route;
            }
        }
        return null;
    }
}
