using System.Diagnostics;
using SfAi.Api.Configuration;
using SfAi.Api.Logging;
using SfAi.Api.Access;
using SfAi.Core.Access;
using SfAi.Core.Chat;
using SfAi.Core.Configuration;
using SfAi.Core.Errors;
using SfAi.Core.Logging;
using SfAi.Core.Providers;

namespace SfAi.Api.Chat;

/// <summary>
/// <c>POST /v1/chat/completions</c>: reads the request once, resolves the alias, lets the provider answer,
/// and logs one <c>chat_completion</c> or one <c>llm_error</c>.
/// </summary>
internal sealed class ChatCompletionHandler
{
    private readonly ReloadableConfig<Core.ModelMap.ModelMap> _modelMap;
    private readonly ProviderRegistry _providers;
    private readonly CompletionRecordBuilder _records;
    private readonly GatewayEventLog _log;
    private readonly GatewayOptions _options;

    public ChatCompletionHandler(
        ReloadableConfig<Core.ModelMap.ModelMap> modelMap, ProviderRegistry providers, CompletionRecordBuilder records, GatewayEventLog log, GatewayOptions options)
    {
        _modelMap = modelMap;
        _providers = providers;
        _records = records;
        _log = log;
        _options = options;
    }

    public async Task HandleAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var origin = RequestOrigins.From(context);
        ChatCall? call = null;
        try
        {
            var body = await RequestBodyReader.ReadJsonAsync(context, _options.MaxRequestBodyBytes);
            var request = ChatRequestParser.Parse(body);
            var map = _modelMap.Current;
            var grant = AccessMiddleware.Grant(context);
            if (!map.TryResolve(request.Model, out var route))
            {
                throw new GatewayException(GatewayError.ModelNotFound(request.Model, map.AliasNames.Where(grant.Allows)));
            }
            ApiKeyVerifier.Authorize(grant, route.Alias);
            call = new ChatCall(origin.RequestId, request, route);

            var provider = _providers.For(route.Provider);
            var outcome = await provider.CompleteAsync(call, new HttpResponseSink(context), context.RequestAborted);
            var latency = Stopwatch.GetElapsedTime(started);
            if (outcome.StreamError is { } streamError)
            {
                _log.Error(CompletionRecordBuilder.Error(origin, streamError, call, latency));
            }
            else
            {
                _log.Completion(_records.Completion(origin, call, outcome, latency));
            }
        }
        catch (GatewayException ex)
        {
            _log.Error(CompletionRecordBuilder.Error(origin, ex.Error, call, Stopwatch.GetElapsedTime(started)));
            if (!context.Response.HasStarted)
            {
                await ErrorResponse.WriteAsync(context, ex.Error);
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            var closed = new GatewayError(499, "client_closed", null, null,
                "The client closed the connection before the completion finished; the upstream call was cancelled.",
                ErrorKinds.ClientClosed);
            _log.Error(CompletionRecordBuilder.Error(origin, closed, call, Stopwatch.GetElapsedTime(started)));
        }
    }

}
