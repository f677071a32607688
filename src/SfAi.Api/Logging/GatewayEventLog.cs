using System.Collections.Concurrent;
using Serilog.Events;
using Serilog.Parsing;
using SfAi.Api.Metrics;
using SfAi.Core.Errors;
using SfAi.Core.Logging;
using SfAi.Core.RateLimiting;
using SfAi.Core.Usage.Ledger;
using SfAi.Hosting.Lambda;

namespace SfAi.Api.Logging;

/// <summary>
/// Writes the gateway's own events: one <c>chat_completion</c> per finished request, one <c>llm_error</c> per failure,
/// one <c>price_unknown</c> warning per upstream model without a price. Each finished request's line also goes to the
/// usage ledger, so the ledger's rows and the lines agree in count and cost. Properties are built explicitly (no reflection),
/// in the names of the seed's log contract.
/// </summary>
internal sealed class GatewayEventLog
{
    private static readonly MessageTemplateParser Parser = new();
    private static readonly MessageTemplate CompletionTemplate = Parser.Parse("chat_completion");
    private static readonly MessageTemplate ErrorTemplate = Parser.Parse("llm_error");
    private static readonly MessageTemplate ConfigErrorTemplate = Parser.Parse("config_error");
    private static readonly MessageTemplate FallbackTemplate = Parser.Parse("fallback");
    private static readonly MessageTemplate SettleFailedTemplate = Parser.Parse("usage_settle_failed");
    private static readonly MessageTemplate PriceUnknownTemplate = Parser.Parse("price_unknown");
    private static readonly MessageTemplate StoreUnavailableTemplate = Parser.Parse("rate_limit_store_unavailable");
    private static readonly MessageTemplate StoreRecoveredTemplate = Parser.Parse("rate_limit_store_recovered");
    private static readonly MessageTemplate LedgerUnavailableTemplate = Parser.Parse("usage_ledger_unavailable");

    private readonly Serilog.ILogger _logger;
    private readonly IReadOnlyList<ILogLineSink> _lineSinks;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, bool> _modelsWithoutPrice = new(StringComparer.Ordinal);
    private readonly EmfMetrics? _metrics;
    private readonly IUsageLedger? _ledger;

    /// <summary>Lines the gateway renders itself go to <paramref name="lineSinks"/>; with none, every event goes through Serilog.</summary>
    public GatewayEventLog(Serilog.ILogger logger, IReadOnlyList<ILogLineSink> lineSinks, TimeProvider time, IUsageLedger? ledger = null, EmfMetrics? metrics = null)
    {
        _ledger = ledger;
        _logger = logger;
        _lineSinks = lineSinks;
        _time = time;
        _metrics = metrics;
    }

    public void Completion(CompletionRecord record)
    {
        if (!TryWriteLine(record))
        {
            WriteEvent(record);
        }
        _metrics?.Completion(record);
        _ledger?.Record(UsageRow.From(record, _time.GetUtcNow()));

        if (record.CostUsd is null && _modelsWithoutPrice.TryAdd(record.UpstreamModel, true))
        {
            Write(LogEventLevel.Warning, PriceUnknownTemplate, new Properties("price_unknown")
                .Add("upstreamModel", record.UpstreamModel)
                .Add("alias", record.Alias)
                .Add("message", $"No price is known for '{record.UpstreamModel}': costUsd is null. Add it to 'prices' in the model map."));
        }
    }

    /// <summary>Renders the line straight to UTF-8 when the logs are JSON (<see cref="CompletionLogLine"/>).</summary>
    private bool TryWriteLine(CompletionRecord record)
    {
        if (_lineSinks.Count == 0)
        {
            return false;
        }
        if (_logger.IsEnabled(LogEventLevel.Information))
        {
            CompletionLogLine.WriteTo(_lineSinks, record, _time.GetUtcNow(), LambdaInvocation.Current);
        }
        return true;
    }

    /// <summary>The completion as a Serilog event, formatted by the configured formatter (text logs).</summary>
    private void WriteEvent(CompletionRecord record)
    {
        Write(LogEventLevel.Information, CompletionTemplate, new Properties("chat_completion")
            .Add("requestId", record.RequestId)
            .Add("alias", record.Alias)
            .Add("answeredBy", record.AnsweredBy)
            .Add("provider", record.Provider)
            .Add("upstreamModel", record.UpstreamModel)
            .Add("stream", record.Stream)
            .Add("status", record.Status)
            .Add("latencyMs", record.LatencyMs)
            .Add("ttftMs", record.TtftMs)
            .Add("finishReason", record.FinishReason)
            .Add("latestUserMessage", record.LatestUserMessage)
            .Add("latestUserMessageLength", record.LatestUserMessageLength)
            .Add("contextTailPreview", record.ContextTailPreview)
            .Add("tokensIn", record.TokensIn)
            .Add("tokensOut", record.TokensOut)
            .Add("cachedTokensIn", record.CachedTokensIn)
            .Add("cacheWriteTokensIn", record.CacheWriteTokensIn)
            .Add("costUsd", record.CostUsd)
            .Add("tokensEstimated", record.TokensEstimated)
            .Add("userAgent", record.UserAgent)
            .Add("origin", record.Origin)
            .Add("keyName", record.KeyName)
            .AddWhenPresent("userId", record.UserId)
            .AddWhenPresent("userEmail", record.UserEmail)
            .AddWhenPresent("droppedParameters", record.DroppedParameters)
            .Add("endpoint", record.Endpoint)
            .AddWhenPresent("inputCount", record.InputCount)
            .AddWhenPresent("protocol", record.Protocol));
    }

    public void Error(LlmErrorRecord record)
    {
        Write(record.Status >= 500 ? LogEventLevel.Error : LogEventLevel.Warning, ErrorTemplate, new Properties("llm_error")
            .Add("requestId", record.RequestId)
            .Add("errorType", record.ErrorType)
            .Add("status", record.Status)
            .Add("message", record.Message)
            .Add("alias", record.Alias)
            .Add("provider", record.Provider)
            .Add("upstreamModel", record.UpstreamModel)
            .Add("stream", record.Stream)
            .Add("latencyMs", record.LatencyMs)
            .Add("userAgent", record.UserAgent)
            .Add("origin", record.Origin)
            .Add("keyName", record.KeyName)
            .AddWhenPresent("userId", record.UserId)
            .AddWhenPresent("userEmail", record.UserEmail));
        _metrics?.Error(record);
        _ledger?.Record(UsageRow.From(record, _time.GetUtcNow()));
    }

    public void Fallback(string requestId, string from, string to, GatewayError reason) =>
        Write(LogEventLevel.Warning, FallbackTemplate, new Properties("fallback")
            .Add("requestId", requestId)
            .Add("from", from)
            .Add("to", to)
            .Add("status", reason.Status)
            .Add("errorType", reason.Kind)
            .Add("message", reason.Message));

    /// <param name="reason">What failed last.</param>
    /// <param name="onFailure">What the requests met meanwhile.</param>
    /// <param name="missed">The calls that could not use the store since the previous line.</param>
    public void RateLimitStoreUnavailable(string reason, RateLimitStoreFailure onFailure, long missed)
    {
        var served = onFailure == RateLimitStoreFailure.Open;
        Write(LogEventLevel.Warning, StoreUnavailableTemplate, new Properties("rate_limit_store_unavailable")
            .Add("reason", reason)
            .Add("onFailure", served ? "open" : "closed")
            .Add("missedCalls", missed)
            .Add("message", served
                ? "The rate-limit store cannot be reached: requests are served without being counted (RATE_LIMIT_STORE_FAILURE=open)."
                : "The rate-limit store cannot be reached: requests are refused with 503 (RATE_LIMIT_STORE_FAILURE=closed)."));
        _metrics?.RateLimitStoreUnavailable(missed);
    }

    /// <param name="reason">What failed last.</param>
    /// <param name="lostRows">The usage rows that could not be written since the previous line (their log lines stand).</param>
    public void UsageLedgerUnavailable(string reason, long lostRows)
    {
        Write(LogEventLevel.Warning, LedgerUnavailableTemplate, new Properties("usage_ledger_unavailable")
            .Add("reason", reason)
            .Add("lostRows", lostRows)
            .Add("message", "The usage ledger cannot be written: requests are served, their usage rows are lost (the chat_completion lines keep them)."));
        _metrics?.UsageLedgerUnavailable(lostRows);
    }

    public void RateLimitStoreRecovered(long missed) =>
        Write(LogEventLevel.Information, StoreRecoveredTemplate, new Properties("rate_limit_store_recovered")
            .Add("missedCalls", missed)
            .Add("message", "The rate-limit store answers again; requests are counted."));

    /// <summary>A token reservation could not be settled to the real usage; the answer the client got stands.</summary>
    public void SettleFailed(string counter, string reason) =>
        Write(LogEventLevel.Warning, SettleFailedTemplate, new Properties("usage_settle_failed")
            .Add("counter", counter)
            .Add("message", reason));

    public void ConfigError(string source, string reason) =>
        Write(LogEventLevel.Error, ConfigErrorTemplate, new Properties("config_error")
            .Add("source", source)
            .Add("message", reason));

    private void Write(LogEventLevel level, MessageTemplate template, Properties properties) =>
        _logger.Write(LogEvent.UnstableAssembleFromParts(_time.GetUtcNow(), level, null, template, properties.Items, default, default));

    /// <summary>
    /// An event's properties in the dictionary the event keeps, sized once for the largest event (chat_completion's
    /// 26 and the enrichers'), so writing one costs no list, no property objects and no copy; values that recur are shared.
    /// </summary>
    private sealed class Properties
    {
        private const int Capacity = 30;
        private static readonly ScalarValue Null = new(null);
        private static readonly ScalarValue True = new(true);
        private static readonly ScalarValue False = new(false);

        public Properties(string eventName)
        {
            Items = new(Capacity, StringComparer.Ordinal);
            Add("event", eventName);
        }

        public Dictionary<string, LogEventPropertyValue> Items { get; }

        public Properties Add(string name, bool value)
        {
            Items.Add(name, value ? True : False);
            return this;
        }

        public Properties AddWhenPresent(string name, string? value)
        {
            if (value is not null)
            {
                Items.Add(name, new ScalarValue(value));
            }
            return this;
        }

        public Properties AddWhenPresent(string name, int? value) => value is { } present ? Add(name, present) : this;

        public Properties AddWhenPresent(string name, IReadOnlyList<string>? values)
        {
            if (values is not null)
            {
                Items.Add(name, new SequenceValue(values.Select(v => new ScalarValue(v))));
            }
            return this;
        }

        public Properties Add(string name, object? value)
        {
            Items.Add(name, value is null ? Null : new ScalarValue(value));
            return this;
        }
    }
}
