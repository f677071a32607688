using SfAi.Api.Logging;
using SfAi.Api.Pipeline;
using SfAi.Core.Access;
using SfAi.Core.Protocols.OpenAIChat;
using SfAi.Core.Configuration;
using SfAi.Core.Errors;
using SfAi.Core.Exchange;
using SfAi.Core.Logging;
using SfAi.Core.ModelMap;
using SfAi.Core.Protocols;
using SfAi.Core.Providers;

namespace SfAi.Api.Exchange;

/// <summary>
/// Owns one call end to end, whatever the client's protocol: resolves the alias, checks the caller may use it, lets the
/// usage guards reserve, calls the provider (and the alias's fallbacks the caller may use), records one
/// <c>chat_completion</c> and settles the guards. A failure is thrown to the <see cref="ErrorBoundary"/>, which logs it
/// with the call set on the request feature; the guards are settled whatever happens, and a settlement that fails never
/// fails the request.
/// </summary>
internal sealed class ExchangeRunner
{
    private readonly ReloadableConfig<ModelMap> _modelMap;
    private readonly ProviderRegistry _providers;
    private readonly CompletionRecordBuilder _records;
    private readonly GatewayEventLog _log;
    private readonly IReadOnlyList<IUsageGuard> _guards;
    private readonly Dictionary<WireProtocol, IProtocolCodec> _codecs;

    public ExchangeRunner(
        ReloadableConfig<ModelMap> modelMap, ProviderRegistry providers, CompletionRecordBuilder records, GatewayEventLog log,
        IEnumerable<IUsageGuard> guards, IEnumerable<IProtocolCodec> codecs)
    {
        _codecs = codecs.ToDictionary(codec => codec.Protocol);
        _modelMap = modelMap;
        _providers = providers;
        _records = records;
        _log = log;
        _guards = [.. guards];
    }

    public async Task RunAsync(HttpContext context, InboundRequest request, IChatResponseSink sink)
    {
        var feature = context.Gateway();
        var map = _modelMap.Current;
        var grant = feature.Grant;
        if (!map.TryResolve(request.Model, out var requested))
        {
            throw new GatewayException(GatewayError.ModelNotFound(request.Model, map.AliasNames.Where(grant.Allows)));
        }
        var call = new ChatCall(feature.RequestId, request, requested) { Deadline = RequestDeadline.Of(context) };
        feature.Call = call;
        ApiKeyVerifier.Authorize(grant, requested.Alias);
        RequireKind(map, grant, request.Protocol, requested);

        var holds = await ReserveAsync(context, grant, call);
        try
        {
            var outcome = await CallWithFallbacksAsync(context, map, grant, call, sink);
            var origin = RequestOrigins.From(context);
            call = feature.Call;
            if (outcome.StreamError is { } streamError)
            {
                _log.Error(CompletionRecordBuilder.Error(origin, streamError, call, feature.Elapsed));
                await SettleAsync(holds, UsageSpent.Unknown);
                return;
            }
            var record = _records.Completion(origin, call, outcome, feature.Elapsed, requested.Alias);
            // Settled before the line is written: whoever has seen the line sees the spend counted.
            await SettleAsync(holds, new UsageSpent(record.TokensIn + record.TokensOut, record.CostUsd));
            _log.Completion(record);
        }
        catch
        {
            await SettleAsync(holds, sink.HasStarted ? UsageSpent.Unknown : UsageSpent.Nothing);
            throw;
        }
    }

    private async Task<CompletionOutcome> CallWithFallbacksAsync(
        HttpContext context, ModelMap map, AccessGrant grant, ChatCall call, IChatResponseSink sink)
    {
        var feature = context.Gateway();
        var requested = call.Route;
        while (true)
        {
            try
            {
                var provider = _providers.For(call.Route.Provider);
                if (provider.Speaks(call.Inbound.Protocol))
                {
                    return await provider.CompleteAsync(call, sink, context.RequestAborted);
                }
                var outcome = await provider.CompleteAsync(call, _codecs[call.Inbound.Protocol].FromChat(call.Inbound, sink), context.RequestAborted);
                return call.Inbound.DroppedInTranslation is { Count: > 0 } dropped
                    ? outcome with { DroppedParameters = [.. outcome.DroppedParameters ?? [], .. dropped] }
                    : outcome;
            }
            catch (GatewayException ex) when (!sink.HasStarted && FallbackPolicy.IsWorthAFallback(ex.Error)
                                              && FallbackPolicy.Next(map, grant, requested, call.Route) is { } next)
            {
                _log.Fallback(call.RequestId, call.Route.Alias, next.Alias, ex.Error);
                call = call with { Route = next };
                feature.Call = call;
            }
        }
    }

    /// <summary>An alias serves one endpoint (its kind): asked for on another, it is a 400 and nothing goes upstream.</summary>
    private static void RequireKind(ModelMap map, AccessGrant grant, WireProtocol protocol, AliasRoute route)
    {
        var needed = AliasKinds.For(protocol);
        if (route.Kind != needed)
        {
            throw new GatewayException(GatewayError.WrongModelKind(
                route.Alias, AliasKinds.ToName(route.Kind), AliasKinds.Endpoint(needed), AliasKinds.ToName(needed), AliasKinds.ProviderNames(needed),
                map.AliasNames.Where(alias => grant.Allows(alias) && map.Aliases[alias].Kind == needed)));
        }
    }

    /// <summary>Every guard reserves, or none keeps a reservation: a refusal gives back what the others held.</summary>
    private async ValueTask<List<UsageHold>> ReserveAsync(HttpContext context, AccessGrant grant, ChatCall call)
    {
        List<UsageHold>? holds = null;
        try
        {
            foreach (var guard in _guards)
            {
                if (await guard.ReserveAsync(grant, call, context.RequestAborted) is not { } hold)
                {
                    continue;
                }
                (holds ??= new List<UsageHold>(_guards.Count)).Add(hold);
                foreach (var (name, value) in hold.Headers)
                {
                    context.Response.Headers[name] = value;
                }
            }
            return holds ?? NoHolds;
        }
        catch
        {
            await SettleAsync(holds ?? NoHolds, UsageSpent.Nothing);
            throw;
        }
    }

    /// <summary>What a call no guard reserved for holds (most calls, when no limit or budget applies): never added to.</summary>
    private static readonly List<UsageHold> NoHolds = [];

    private async ValueTask SettleAsync(List<UsageHold> holds, UsageSpent spent)
    {
        foreach (var hold in holds)
        {
            try
            {
                await hold.SettleAsync(spent, CancellationToken.None);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                _log.SettleFailed(hold.Subject, ex.Message);
            }
        }
    }
}
