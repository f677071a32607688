using SfAi.Api.Configuration;
using SfAi.Api.Logging;
using SfAi.Api.RateLimiting;
using SfAi.Api.Pipeline;
using SfAi.Core.Access;
using SfAi.Core.Chat;
using SfAi.Core.Configuration;
using SfAi.Core.Errors;
using SfAi.Core.Logging;
using SfAi.Core.ModelMap;
using SfAi.Core.Providers;
using SfAi.Core.RateLimiting;
using SfAi.Core.Usage;

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
    private readonly RateLimiter _limiter;

    public ChatCompletionHandler(
        ReloadableConfig<Core.ModelMap.ModelMap> modelMap, ProviderRegistry providers, CompletionRecordBuilder records,
        GatewayEventLog log, GatewayOptions options, RateLimiter limiter)
    {
        _limiter = limiter;
        _modelMap = modelMap;
        _providers = providers;
        _records = records;
        _log = log;
        _options = options;
    }

    /// <summary>
    /// A failure is thrown to the <see cref="Pipeline.ErrorBoundary"/>, which logs it with the call set on the request
    /// feature; a reservation is settled whatever happens, and a settlement that fails never fails the request.
    /// </summary>
    public async Task HandleAsync(HttpContext context)
    {
        var feature = context.Gateway();
        var origin = RequestOrigins.From(context);
        TokenReservation? reservation = null;
        var sink = new HttpResponseSink(context);
        try
        {
            var body = await RequestBodyReader.ReadJsonAsync(context, _options.MaxRequestBodyBytes);
            var request = ChatRequestParser.Parse(body);
            var map = _modelMap.Current;
            var grant = feature.Grant;
            if (!map.TryResolve(request.Model, out var route))
            {
                throw new GatewayException(GatewayError.ModelNotFound(request.Model, map.AliasNames.Where(grant.Allows)));
            }
            var call = new ChatCall(origin.RequestId, request, route) { Deadline = RequestDeadline.Of(context) };
            feature.Call = call;
            ApiKeyVerifier.Authorize(grant, route.Alias);
            reservation = await ReserveTokensAsync(context, grant, request);

            CompletionOutcome outcome;
            while (true)
            {
                try
                {
                    outcome = await _providers.For(call.Route.Provider).CompleteAsync(call, sink, context.RequestAborted);
                    break;
                }
                catch (GatewayException ex) when (!sink.HasStarted && IsWorthAFallback(ex.Error) && NextFallback(map, grant, route, call.Route) is { } next)
                {
                    _log.Fallback(origin.RequestId, call.Route.Alias, next.Alias, ex.Error);
                    call = call with { Route = next };
                    feature.Call = call;
                }
            }

            var latency = feature.Elapsed;
            if (outcome.StreamError is { } streamError)
            {
                _log.Error(CompletionRecordBuilder.Error(origin, streamError, call, latency));
                await SettleAsync(reservation, reservation?.Reserved ?? 0);
            }
            else
            {
                var record = _records.Completion(origin, call, outcome, latency) with { Alias = route.Alias };
                _log.Completion(record);
                await SettleAsync(reservation, record.TokensIn + record.TokensOut);
            }
        }
        catch
        {
            // Nothing answered: the reservation goes back. A stream the client left keeps it: the upstream had the prompt.
            await SettleAsync(reservation, sink.HasStarted ? reservation?.Reserved ?? 0 : 0);
            throw;
        }
    }

    private async ValueTask SettleAsync(TokenReservation? reservation, int tokens)
    {
        if (reservation is null)
        {
            return;
        }
        try
        {
            await _limiter.SettleAsync(reservation, tokens, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _log.SettleFailed(reservation.Counter, ex.Message);
        }
    }

    /// <summary>Failures another provider might not have: overload, outage, timeout, a missing key. Not the client's own mistakes.</summary>
    private static bool IsWorthAFallback(GatewayError error) => error.Status is 429 or >= 500;

    /// <summary>
    /// The alias after <paramref name="current"/> in the requested alias's fallback list that the caller may use: a key
    /// never reaches through a fallback an alias it may not call.
    /// </summary>
    private static AliasRoute? NextFallback(Core.ModelMap.ModelMap map, AccessGrant grant, AliasRoute requested, AliasRoute current)
    {
        var position = current.Alias == requested.Alias ? 0 : requested.Fallbacks.ToList().IndexOf(current.Alias) + 1;
        for (var i = position; i < requested.Fallbacks.Count; i++)
        {
            if (grant.Allows(requested.Fallbacks[i]) && map.TryResolve(requested.Fallbacks[i], out var next))
            {
                return next;
            }
        }
        return null;
    }

    private async Task<TokenReservation?> ReserveTokensAsync(HttpContext context, AccessGrant grant, ChatRequest request)
    {
        if (grant.TokensPerMinute is null)
        {
            return null;
        }
        var reservation = await _limiter.ReserveTokensAsync(grant, TokenCounter.EstimatePrompt(request.Messages), context.RequestAborted);
        if (reservation is not null)
        {
            RateLimitMiddleware.WriteHeaders(context.Response, "tokens", reservation.State);
        }
        return reservation;
    }
}
