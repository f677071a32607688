using Microsoft.AspNetCore.Http.Extensions;
using SfAi.Api.Pipeline;
using SfAi.Core.Access;
using SfAi.Core.Configuration;
using SfAi.Core.Errors;
using SfAi.Core.ModelMap;
using SfAi.Core.Providers;
using SfAi.Core.Providers.OpenAI;

namespace SfAi.Api.Endpoints;

/// <summary>
/// <c>GET</c>/<c>DELETE /v1/responses/{id}</c> and <c>GET /v1/responses/{id}/input_items</c>: responses OpenAI stored,
/// relayed from the provider as they come. They carry no model, so the provider is that of the alias named by the
/// <c>model</c> query parameter, or else of the first OpenAI alias (by name) the caller may use.
/// </summary>
internal sealed class StoredResponsesEndpoint
{
    private readonly ReloadableConfig<ModelMap> _modelMap;
    private readonly ProviderRegistry _providers;

    public StoredResponsesEndpoint(ReloadableConfig<ModelMap> modelMap, ProviderRegistry providers)
    {
        _modelMap = modelMap;
        _providers = providers;
    }

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var route = Choose(_modelMap.Current, context.Gateway().Grant, request.Query["model"].ToString());
        var responses = (_providers.For(route.Provider) as OpenAIChatProvider)?.Responses
            ?? throw new GatewayException(NotOpenAI(route.Alias));
        var path = request.Path.Value!;
        var upstreamPath = path[path.IndexOf("/responses/", StringComparison.OrdinalIgnoreCase)..].TrimEnd('/')
            + new QueryBuilder(request.Query.Where(q => q.Key != "model")).ToQueryString();
        var stream = HttpMethods.IsGet(request.Method) && request.Query["stream"] == "true";
        await responses.RelayStoredAsync(route, new HttpMethod(request.Method), upstreamPath, stream,
            new HttpResponseSink(context, GatewayProtocol.OpenAIResponses), context.RequestAborted);
    }

    private static AliasRoute Choose(ModelMap map, AccessGrant grant, string alias)
    {
        if (alias.Length > 0)
        {
            if (!map.TryResolve(alias, out var named))
            {
                throw new GatewayException(GatewayError.ModelNotFound(alias, map.AliasNames.Where(grant.Allows)));
            }
            ApiKeyVerifier.Authorize(grant, alias);
            return named.Provider.Type == ProviderType.OpenAI ? named : throw new GatewayException(NotOpenAI(alias));
        }
        foreach (var name in map.AliasNames)
        {
            if (grant.Allows(name) && map.Aliases[name].Provider.Type == ProviderType.OpenAI)
            {
                return map.Aliases[name];
            }
        }
        throw new GatewayException(new GatewayError(404, "invalid_request_error", "model_not_found", "model",
            "No OpenAI alias you may use keeps stored responses: only OpenAI stores them (translated aliases keep none).", ErrorKinds.ModelNotFound));
    }

    private static GatewayError NotOpenAI(string alias) =>
        GatewayError.BadRequest($"'{alias}' is not an OpenAI alias: only OpenAI keeps stored responses (translated aliases keep none).", "model", "unsupported_parameter");
}
