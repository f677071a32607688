using SfAi.Api.Access;
using SfAi.Api.Chat;
using SfAi.Api.Configuration;
using SfAi.Api.Json;
using SfAi.Core.Errors;
using SfAi.Core.Access;
using SfAi.Core.Configuration;
using SfAi.Core.Providers.Resilience;

namespace SfAi.Api.Endpoints;

/// <summary>The gateway's routes. Old clients call <c>&lt;base&gt;/chat/completions</c>, so each OpenAI route also answers without <c>/v1</c>.</summary>
internal static class GatewayEndpoints
{
    public static IEndpointRouteBuilder MapGatewayEndpoints(this IEndpointRouteBuilder app)
    {
        foreach (var prefix in new[] { "/v1", string.Empty })
        {
            app.MapPost($"{prefix}/chat/completions", ChatCompletionsAsync).WithName($"ChatCompletions{prefix}");
            app.MapGet($"{prefix}/models", ModelsAsync).WithName($"Models{prefix}");
        }
        app.MapGet("/health", HealthAsync).WithName("Health");
        app.MapFallback(UnknownUrlAsync);
        return app;
    }

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
