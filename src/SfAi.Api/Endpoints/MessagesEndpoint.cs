using SfAi.Api.Configuration;
using SfAi.Api.Exchange;
using SfAi.Api.Pipeline;
using SfAi.Core.Access;
using SfAi.Core.Configuration;
using SfAi.Core.Errors;
using SfAi.Core.Json;
using SfAi.Core.ModelMap;
using SfAi.Core.Protocols.AnthropicMessages;
using SfAi.Core.Providers;
using SfAi.Core.Providers.Anthropic;
using SfAi.Core.Usage;

namespace SfAi.Api.Endpoints;

/// <summary>
/// <c>POST /v1/messages</c>: the Anthropic Messages request, read once and parsed, run as one exchange (passed through
/// to an Anthropic alias, translated for any other); and <c>POST /v1/messages/count_tokens</c>.
/// </summary>
internal sealed class MessagesEndpoint
{
    /// <summary>Says a <c>count_tokens</c> answer is the gateway's own estimate (its o200k tokenizer), not the model's count.</summary>
    public const string EstimateHeader = "x-sfai-token-count";

    private readonly ExchangeRunner _runner;
    private readonly GatewayOptions _options;
    private readonly ReloadableConfig<ModelMap> _modelMap;
    private readonly ProviderRegistry _providers;
    private readonly TokenCounter _tokens;

    public MessagesEndpoint(ExchangeRunner runner, GatewayOptions options, ReloadableConfig<ModelMap> modelMap, ProviderRegistry providers, TokenCounter tokens)
    {
        _runner = runner;
        _options = options;
        _modelMap = modelMap;
        _providers = providers;
        _tokens = tokens;
    }

    public async Task HandleAsync(HttpContext context)
    {
        var request = await ReadAsync(context, countTokens: false);
        await _runner.RunAsync(context, request, new HttpResponseSink(context, GatewayProtocol.AnthropicMessages));
    }

    public async Task CountTokensAsync(HttpContext context)
    {
        var request = await ReadAsync(context, countTokens: true);
        var feature = context.Gateway();
        var map = _modelMap.Current;
        if (!map.TryResolve(request.Model, out var route))
        {
            throw new GatewayException(GatewayError.ModelNotFound(request.Model, map.AliasNames.Where(feature.Grant.Allows)));
        }
        ApiKeyVerifier.Authorize(feature.Grant, route.Alias);
        var call = new ChatCall(feature.RequestId, request, route) { Deadline = RequestDeadline.Of(context) };
        feature.Call = call;

        byte[] answer;
        if (_providers.For(route.Provider) is AnthropicChatProvider anthropic)
        {
            answer = await anthropic.CountTokensAsync(call, request, context.RequestAborted);
        }
        else
        {
            var count = _tokens.CountPrompt(request.Chat.Messages);
            answer = JsonWriting.Write(count, static (writer, n) =>
            {
                writer.WriteStartObject();
                writer.WriteNumber("input_tokens", n);
                writer.WriteEndObject();
            });
            context.Response.Headers[EstimateHeader] = "estimate; o200k_base";
        }
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = answer.Length;
        await context.Response.Body.WriteAsync(answer, context.RequestAborted);
    }

    private async Task<MessagesRequest> ReadAsync(HttpContext context, bool countTokens)
    {
        var body = await RequestBodyReader.ReadJsonAsync(context, _options.MaxRequestBodyBytes);
        var headers = context.Request.Headers;
        var betas = headers["anthropic-beta"].SelectMany(value => (value ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
        var version = headers["anthropic-version"].ToString();
        return MessagesRequestParser.Parse(body, countTokens, version.Length > 0 ? version : null, [.. betas]);
    }
}
