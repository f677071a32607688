using System.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using SfAi.Api.Endpoints;
using SfAi.Core.Access;
using SfAi.Core.Providers;

namespace SfAi.Api.Pipeline;

/// <summary>
/// What the gateway knows of one request, set once when it arrives: its id, the one clock every <c>latencyMs</c> is
/// read from, the route matched (once), after the access check the caller's grant, and the completion call once known.
/// </summary>
internal sealed class GatewayRequestFeature
{
    public GatewayRequestFeature(string requestId, long startTimestamp, GatewayRoute? route)
    {
        RequestId = requestId;
        StartTimestamp = startTimestamp;
        Route = route;
    }

    public string RequestId { get; }

    /// <summary>A <see cref="Stopwatch"/> timestamp taken when the request arrived.</summary>
    public long StartTimestamp { get; }

    /// <summary>The route the method and path matched; <c>null</c> when the gateway serves no such route.</summary>
    public GatewayRoute? Route { get; }

    /// <summary>The caller's grant; open until an access check sets it (health, <c>AUTH_MODE=none</c>).</summary>
    public AccessGrant Grant { get; set; } = AccessGrant.Open;

    /// <summary>The completion call once its alias is resolved (the fallback's, after a fallback): what an <c>llm_error</c> names.</summary>
    public ChatCall? Call { get; set; }

    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(StartTimestamp);
}

internal static class GatewayRequestFeatureExtensions
{
    /// <summary>The request's feature; a request that skipped the first middleware (none does) gets one made on the spot.</summary>
    public static GatewayRequestFeature Gateway(this HttpContext context)
    {
        if (context.Features.Find<GatewayRequestFeature>() is { } feature)
        {
            return feature;
        }
        feature = new GatewayRequestFeature(Middleware.RequestIdMiddleware.NewId(), Stopwatch.GetTimestamp(),
            GatewayRoutes.Match(context.Request.Method, context.Request.Path.Value));
        context.Features[typeof(GatewayRequestFeature)] = feature;
        return feature;
    }
}

internal static class FeatureCollectionExtensions
{
    /// <summary>
    /// The feature of type <typeparamref name="T"/>, or null: <see cref="IFeatureCollection.Get{TFeature}"/> through the
    /// indexer. <c>Get&lt;T&gt;</c> is a generic virtual method, which a native build resolves with a table lookup on
    /// every call; the request path asks for features several times per request.
    /// </summary>
    public static T? Find<T>(this IFeatureCollection features) where T : class => features[typeof(T)] as T;
}
