using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using SfAi.Core.ModelMap;

namespace SfAi.Core.Providers.Resilience;

/// <summary>
/// One resilience pipeline per deployment — provider and upstream model — (Polly): retries with exponential backoff and
/// jitter on refused connections, 429 and 5xx — honouring the provider's <c>Retry-After</c> / <c>retry-after-ms</c> —
/// within a <see cref="RetryBudget"/> (also per deployment), inside a circuit breaker that stops calling a deployment
/// that keeps failing. The breaker is per deployment so one failing model never takes down the other models of its
/// provider, and it counts one sample per client call (retries included), and only connection failures, timeouts and
/// 5xx: a 4xx or 429 says the upstream is up. Retries happen only before the response is handed to the provider code,
/// so never after anything has reached the client.
/// </summary>
public sealed partial class ProviderResilience
{
    /// <summary>A provider asking to wait longer than this gets its 429 passed on rather than waited out.</summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<(string Provider, string Model), Entry> _entries = new();
    private readonly TimeProvider _time;
    private readonly ILogger<ProviderResilience> _logger;

    public ProviderResilience(TimeProvider time, ILogger<ProviderResilience> logger)
    {
        _time = time;
        _logger = logger;
    }

    /// <summary>The pipeline of the deployment <c>provider/upstreamModel</c>, rebuilt when the provider's policies change.</summary>
    public ResiliencePipeline<HttpResponseMessage> For(ProviderDefinition provider, string upstreamModel)
    {
        var key = (provider.Retry, provider.CircuitBreaker);
        if (!_entries.TryGetValue((provider.Name, upstreamModel), out var entry) || entry.Key != key)
        {
            var deployment = DeploymentName(provider.Name, upstreamModel);
            entry = _entries.AddOrUpdate((provider.Name, upstreamModel),
                _ => Build(provider, deployment),
                (_, existing) => existing.Key == key ? existing : Build(provider, deployment));
        }
        entry.Budget.RecordCall();
        return entry.Pipeline;
    }

    /// <summary>How a deployment is named in errors, logs and on <c>/health</c>: <c>provider/model</c>.</summary>
    public static string DeploymentName(string provider, string upstreamModel) => $"{provider}/{upstreamModel}";

    /// <summary>Each deployment's circuit (<c>provider/model</c>): <c>closed</c>, <c>open</c>, <c>half-open</c> or <c>isolated</c>.</summary>
    public IReadOnlyDictionary<string, string> CircuitStates() =>
        _entries.Values.ToDictionary(e => e.Deployment, e => e.Circuit.CircuitState switch
        {
            CircuitState.Open => "open",
            CircuitState.HalfOpen => "half-open",
            CircuitState.Isolated => "isolated",
            _ => "closed",
        }, StringComparer.Ordinal);

    /// <summary>The retry budget of a deployment (<c>provider/model</c>) that has been called.</summary>
    public RetryBudget? BudgetOf(string deployment) => _entries.Values.FirstOrDefault(e => e.Deployment == deployment)?.Budget;

    /// <summary>
    /// Whether an outcome says the deployment is down: a refused or broken connection, a timeout of one try (not the
    /// call's own cancellation), or a server error. A 4xx or 429 is an answer from a working upstream and never counts.
    /// </summary>
    public static bool IsBreakerFailure(Outcome<HttpResponseMessage> outcome, CancellationToken callToken) =>
        outcome.Exception is HttpRequestException or IOException
        || (outcome.Exception is OperationCanceledException && !callToken.IsCancellationRequested)
        || outcome.Result is { StatusCode: >= HttpStatusCode.InternalServerError and not HttpStatusCode.NotImplemented };

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

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "AddStrategy validates its options by reflection; CircuitOpenTranslationOptions adds no members or annotations to validate.")]
    private Entry Build(ProviderDefinition provider, string deployment)
    {
        var budget = new RetryBudget();
        var circuit = new CircuitBreakerStateProvider();
        var openUntil = new OpenUntil();
        var pipeline = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = _time }
            .AddStrategy(_ => new CircuitOpenTranslation(deployment, openUntil, _time), new CircuitOpenTranslationOptions())
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                FailureRatio = provider.CircuitBreaker.FailureRatio,
                MinimumThroughput = provider.CircuitBreaker.MinimumRequests,
                SamplingDuration = TimeSpan.FromSeconds(30),
                BreakDuration = provider.CircuitBreaker.BreakDuration,
                ShouldHandle = args => ValueTask.FromResult(IsBreakerFailure(args.Outcome, args.Context.CancellationToken)),
                StateProvider = circuit,
                OnOpened = args =>
                {
                    openUntil.Set(_time.GetUtcNow() + args.BreakDuration);
                    LogCircuitOpened(_logger, deployment, args.BreakDuration.TotalSeconds);
                    return ValueTask.CompletedTask;
                },
            })
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
                    LogRetry(_logger, deployment, args.AttemptNumber + 1,
                        args.Outcome.Result is { } failed ? ((int)failed.StatusCode).ToString(CultureInfo.InvariantCulture) : args.Outcome.Exception?.Message ?? "failure",
                        args.RetryDelay.TotalMilliseconds);
                    args.Outcome.Result?.Dispose();
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
        return new Entry((provider.Retry, provider.CircuitBreaker), deployment, pipeline, circuit, budget);
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Warning, Message = "upstream_retry: deployment {Deployment} attempt {Attempt} after {Failure}, waiting {DelayMs} ms")]
    private static partial void LogRetry(ILogger logger, string deployment, int attempt, string failure, double delayMs);

    [LoggerMessage(EventId = 101, Level = LogLevel.Error, Message = "circuit_open: deployment {Deployment} keeps failing; calls stop for {BreakSeconds} s")]
    private static partial void LogCircuitOpened(ILogger logger, string deployment, double breakSeconds);

    private sealed record Entry(
        (RetryPolicy, CircuitBreakerPolicy) Key,
        string Deployment,
        ResiliencePipeline<HttpResponseMessage> Pipeline,
        CircuitBreakerStateProvider Circuit,
        RetryBudget Budget);
}
