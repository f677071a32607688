using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using SfAi.Core.ModelMap;

namespace SfAi.Core.Providers.Resilience;

/// <summary>
/// One resilience pipeline per provider (Polly): retries with exponential backoff and jitter on refused connections,
/// 429 and 5xx — honouring the provider's <c>Retry-After</c> / <c>retry-after-ms</c> — within a <see cref="RetryBudget"/>,
/// inside a circuit breaker that stops calling a provider that keeps failing. Retries happen only before the
/// response is handed to the provider code, so never after anything has reached the client.
/// </summary>
public sealed partial class ProviderResilience
{
    /// <summary>A provider asking to wait longer than this gets its 429 passed on rather than waited out.</summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly ILogger<ProviderResilience> _logger;

    public ProviderResilience(TimeProvider time, ILogger<ProviderResilience> logger)
    {
        _time = time;
        _logger = logger;
    }

    public ResiliencePipeline<HttpResponseMessage> For(ProviderDefinition provider)
    {
        var key = (provider.Retry, provider.CircuitBreaker);
        var entry = _entries.AddOrUpdate(provider.Name,
            _ => Build(provider),
            (_, existing) => existing.Key == key ? existing : Build(provider));
        entry.Budget.RecordCall();
        return entry.Pipeline;
    }

    /// <summary>Each provider's circuit: <c>closed</c>, <c>open</c>, <c>half-open</c> or <c>isolated</c>.</summary>
    public IReadOnlyDictionary<string, string> CircuitStates() =>
        _entries.ToDictionary(e => e.Key, e => e.Value.Circuit.CircuitState switch
        {
            CircuitState.Open => "open",
            CircuitState.HalfOpen => "half-open",
            CircuitState.Isolated => "isolated",
            _ => "closed",
        }, StringComparer.Ordinal);

    /// <summary>The retry budget of a provider that has been called.</summary>
    public RetryBudget? BudgetOf(string provider) => _entries.TryGetValue(provider, out var entry) ? entry.Budget : null;

    /// <summary>Whether an outcome is worth another try: a refused or broken connection, 429, or a server error.</summary>
    public static bool IsTransient(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is HttpRequestException
        || outcome.Result is { StatusCode: HttpStatusCode.TooManyRequests }
        || outcome.Result is { StatusCode: >= HttpStatusCode.InternalServerError and not HttpStatusCode.NotImplemented };

    /// <summary>The wait a response asks for (<c>retry-after-ms</c>, then <c>Retry-After</c> in seconds or as a date).</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage? response, DateTimeOffset now)
    {
        if (response is null)
        {
            return null;
        }
        if (response.Headers.TryGetValues("retry-after-ms", out var ms)
            && double.TryParse(ms.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var milliseconds) && milliseconds >= 0)
        {
            return TimeSpan.FromMilliseconds(milliseconds);
        }
        return response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date > now ? date - now : TimeSpan.Zero,
            _ => null,
        };
    }

    private Entry Build(ProviderDefinition provider)
    {
        var budget = new RetryBudget();
        var circuit = new CircuitBreakerStateProvider();
        var pipeline = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = _time }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = Math.Max(1, provider.Retry.Attempts),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = provider.Retry.BaseDelay,
                MaxDelay = MaxRetryAfter,
                ShouldHandle = args => ValueTask.FromResult(
                    provider.Retry.Attempts > 0 && IsTransient(args.Outcome) && budget.CanRetry
                    && (RetryAfter(args.Outcome.Result, _time.GetUtcNow()) ?? TimeSpan.Zero) <= MaxRetryAfter),
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result, _time.GetUtcNow())),
                OnRetry = args =>
                {
                    budget.TrySpend();
                    LogRetry(_logger, provider.Name, args.AttemptNumber + 1,
                        args.Outcome.Result is { } failed ? ((int)failed.StatusCode).ToString(CultureInfo.InvariantCulture) : args.Outcome.Exception?.Message ?? "failure",
                        args.RetryDelay.TotalMilliseconds);
                    args.Outcome.Result?.Dispose();
                    return ValueTask.CompletedTask;
                },
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                FailureRatio = provider.CircuitBreaker.FailureRatio,
                MinimumThroughput = provider.CircuitBreaker.MinimumRequests,
                SamplingDuration = TimeSpan.FromSeconds(30),
                BreakDuration = provider.CircuitBreaker.BreakDuration,
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome)),
                StateProvider = circuit,
                OnOpened = args =>
                {
                    LogCircuitOpened(_logger, provider.Name, args.BreakDuration.TotalSeconds);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
        return new Entry((provider.Retry, provider.CircuitBreaker), pipeline, circuit, budget);
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Warning, Message = "upstream_retry: provider {Provider} attempt {Attempt} after {Failure}, waiting {DelayMs} ms")]
    private static partial void LogRetry(ILogger logger, string provider, int attempt, string failure, double delayMs);

    [LoggerMessage(EventId = 101, Level = LogLevel.Error, Message = "circuit_open: provider {Provider} keeps failing; calls stop for {BreakSeconds} s")]
    private static partial void LogCircuitOpened(ILogger logger, string provider, double breakSeconds);

    private sealed record Entry(
        (RetryPolicy, CircuitBreakerPolicy) Key,
        ResiliencePipeline<HttpResponseMessage> Pipeline,
        CircuitBreakerStateProvider Circuit,
        RetryBudget Budget);
}
