using SfAi.Api.Access;
using SfAi.Api.Configuration;
using SfAi.Api.Json;
using SfAi.Api.Pipeline;
using SfAi.Core.Errors;
using SfAi.Core.Access;
using SfAi.Core.Configuration;
using SfAi.Core.Providers.Resilience;

namespace SfAi.Api.Endpoints;

/// <summary>The handlers of the routes in <see cref="GatewayRoutes"/>, and the 404 for any other request.</summary>
internal static class GatewayEndpoints
{
    /// <summary>Ends the pipeline: each request goes to its matched route's handler, or gets an OpenAI-shaped 404.</summary>
    public static void RunGatewayEndpoints(this IApplicationBuilder app)
    {
        var services = app.ApplicationServices;
        app.Run(context => (context.Gateway().Route?.Handler ?? UnknownUrlAsync)(context, services));
    }

    public static Task ChatCompletionsAsync(HttpContext context, IServiceProvider services) =>
        services.GetRequiredService<ChatCompletionsEndpoint>().HandleAsync(context);

    public static Task EmbeddingsAsync(HttpContext context, IServiceProvider services) =>
        services.GetRequiredService<EmbeddingsEndpoint>().HandleAsync(context);

    public static Task CompletionsAsync(HttpContext context, IServiceProvider services) =>
        services.GetRequiredService<CompletionsEndpoint>().HandleAsync(context);

    public static Task ResponsesAsync(HttpContext context, IServiceProvider services) =>
        services.GetRequiredService<ResponsesEndpoint>().HandleAsync(context);

    public static Task StoredResponseAsync(HttpContext context, IServiceProvider services) =>
        services.GetRequiredService<StoredResponsesEndpoint>().HandleAsync(context);

    public static Task MessagesAsync(HttpContext context, IServiceProvider services) =>
        services.GetRequiredService<MessagesEndpoint>().HandleAsync(context);

    public static Task CountTokensAsync(HttpContext context, IServiceProvider services) =>
        services.GetRequiredService<MessagesEndpoint>().CountTokensAsync(context);

    public static Task ModelsAsync(HttpContext context, IServiceProvider services)
    {
        var loader = services.GetRequiredService<ReloadableConfig<Core.ModelMap.ModelMap>>();
        var map = loader.Current;
        var grant = context.Gateway().Grant;
        var created = loader.Status.LoadedAt?.ToUnixTimeSeconds() ?? 0;
        var aliases = map.AliasNames.Where(grant.Allows).ToList();
        if (context.Request.Headers.ContainsKey("anthropic-version"))
        {
            var createdAt = DateTimeOffset.FromUnixTimeSeconds(created).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
            return context.Response.WriteAsJsonAsync(AnthropicModelList.Of(aliases, createdAt), ApiJsonContext.Default.AnthropicModelList, cancellationToken: context.RequestAborted);
        }
        var models = aliases.Select(alias => new ModelEntry(alias, created, map.Aliases[alias].Provider.Name)).ToList();
        return context.Response.WriteAsJsonAsync(new ModelList(models), ApiJsonContext.Default.ModelList, cancellationToken: context.RequestAborted);
    }

    public static Task HealthAsync(HttpContext context, IServiceProvider services)
    {
        var modelMap = services.GetRequiredService<ReloadableConfig<Core.ModelMap.ModelMap>>();
        var status = modelMap.Status;
        var keys = services.GetRequiredService<GatewayOptions>().RequireKeys
            ? ConfigHealth.From(services.GetRequiredService<ReloadableConfig<ApiKeySet>>().Status)
            : null;
        var report = new HealthReport(
            status.Loaded ? "ok" : "degraded",
            new ModelMapHealth(status.Loaded, status.Source, status.Version, status.LoadedAt,
                status.Loaded ? modelMap.Current.Aliases.Count : 0, status.LastError, status.LastErrorAt),
            keys,
            services.GetRequiredService<ProviderResilience>().CircuitStates()
                .ToDictionary(c => c.Key, c => new ProviderHealth(c.Value), StringComparer.Ordinal));
        return context.Response.WriteAsJsonAsync(report, ApiJsonContext.Default.HealthReport, cancellationToken: context.RequestAborted);
    }

    private static Task UnknownUrlAsync(HttpContext context, IServiceProvider services) =>
        throw new GatewayException(new GatewayError(404, "invalid_request_error", "unknown_url", null,
            $"Unknown request URL: {context.Request.Method} {context.Request.Path}. This gateway serves {GatewayRoutes.Served}.",
            ErrorKinds.BadRequest));
}
