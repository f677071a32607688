using SfAi.Api.Access;
using SfAi.Api.Chat;
using SfAi.Api.Configuration;
using SfAi.Api.Json;
using SfAi.Core.Errors;
using SfAi.Core.Access;
using SfAi.Core.Configuration;
using SfAi.Core.Providers.Resilience;

namespace SfAi.Api.Endpoints;

/// <summary>
/// The gateway's routes. Old clients call <c>&lt;base&gt;/chat/completions</c>, so each OpenAI route also answers without
/// <c>/v1</c>. Five fixed paths need no router: they are matched directly (ignoring case and one trailing slash, as
/// ASP.NET Core routing does), which spares every request the routing middleware and the cold start its set-up
/// (~7 ms of ~50 under native AOT, measured with bench/run.sh).
/// </summary>
internal static class GatewayEndpoints
{
    /// <summary>Ends the pipeline: each request goes to its route's handler, or gets an OpenAI-shaped 404.</summary>
    public static void RunGatewayEndpoints(this IApplicationBuilder app) =>
        app.Run(context => (Find(context.Request.Method, context.Request.Path.Value) ?? UnknownUrlAsync)(context));

    /// <summary>The handler for a method and path, or null when the gateway serves no such route.</summary>
    public static RequestDelegate? Find(string method, string? path)
    {
        var route = path is { Length: > 1 } && path[^1] == '/' ? path.AsSpan(0, path.Length - 1) : path.AsSpan();
        if (HttpMethods.IsPost(method))
        {
            return Is(route, "/v1/chat/completions") || Is(route, "/chat/completions") ? ChatCompletionsAsync : null;
        }
        if (HttpMethods.IsGet(method))
        {
            return Is(route, "/v1/models") || Is(route, "/models") ? ModelsAsync
                : Is(route, "/health") ? HealthAsync
                : null;
        }
        return null;
    }

    private static bool Is(ReadOnlySpan<char> route, string path) => route.Equals(path, StringComparison.OrdinalIgnoreCase);

    private static Task ChatCompletionsAsync(HttpContext context) =>
        context.RequestServices.GetRequiredService<ChatCompletionHandler>().HandleAsync(context);

    private static Task ModelsAsync(HttpContext context)
    {
        var loader = context.RequestServices.GetRequiredService<ReloadableConfig<Core.ModelMap.ModelMap>>();
        var map = loader.Current;
        var grant = AccessMiddleware.Grant(context);
        var created = loader.Status.LoadedAt?.ToUnixTimeSeconds() ?? 0;
        var models = map.AliasNames.Where(grant.Allows).Select(alias => new ModelEntry(alias, created, map.Aliases[alias].Provider.Name)).ToList();
        return context.Response.WriteAsJsonAsync(new ModelList(models), ApiJsonContext.Default.ModelList, cancellationToken: context.RequestAborted);
    }

    private static Task HealthAsync(HttpContext context)
    {
        var modelMap = context.RequestServices.GetRequiredService<ReloadableConfig<Core.ModelMap.ModelMap>>();
        var status = modelMap.Status;
        var keys = context.RequestServices.GetRequiredService<GatewayOptions>().RequireKeys
            ? ConfigHealth.From(context.RequestServices.GetRequiredService<ReloadableConfig<ApiKeySet>>().Status)
            : null;
        var report = new HealthReport(
            status.Loaded ? "ok" : "degraded",
            new ModelMapHealth(status.Loaded, status.Source, status.Version, status.LoadedAt,
                status.Loaded ? modelMap.Current.Aliases.Count : 0, status.LastError, status.LastErrorAt),
            keys,
            context.RequestServices.GetRequiredService<ProviderResilience>().CircuitStates()
                .ToDictionary(c => c.Key, c => new ProviderHealth(c.Value), StringComparer.Ordinal));
        return context.Response.WriteAsJsonAsync(report, ApiJsonContext.Default.HealthReport, cancellationToken: context.RequestAborted);
    }

    private static Task UnknownUrlAsync(HttpContext context) =>
        ErrorResponse.WriteAsync(context, new GatewayError(404, "invalid_request_error", "unknown_url", null,
            $"Unknown request URL: {context.Request.Method} {context.Request.Path}. This gateway serves POST /v1/chat/completions, GET /v1/models and GET /health.",
            ErrorKinds.BadRequest));
}
