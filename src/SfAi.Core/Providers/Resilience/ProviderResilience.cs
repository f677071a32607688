using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using SfAi.Core.ModelMap;

namespace SfAi.Core.Providers.Resilience;

/// <summary>
/// One resilience pipeline per deployment — provider and upstream model — (<see cref="DeploymentPipeline"/>): retries with exponential backoff and
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
    private readonly ConditionalWeakTable<ProviderDefinition, ConcurrentDictionary<string, Entry>> _given = new();
    private readonly TimeProvider _time;
    private readonly ILogger<ProviderResilience> _logger;

    public ProviderResilience(TimeProvider time, ILogger<ProviderResilience> logger)
    {
        _time = time;
        _logger = logger;
    }

    /// <summary>The pipeline of the deployment <c>provider/upstreamModel</c>, rebuilt when the provider's policies change.</summary>
    /// <remarks>
    /// A provider's definition (one model map's) keeps the pipelines it was given: its policies cannot change, so a
    /// call finds its pipeline by the definition's identity and the model, without comparing the policies again.
    /// </remarks>
    public DeploymentPipeline For(ProviderDefinition provider, string upstreamModel)
    {
        var given = _given.GetValue(provider, static _ => new ConcurrentDictionary<string, Entry>(StringComparer.Ordinal));
        if (!given.TryGetValue(upstreamModel, out var entry))
        {
            entry = Find(provider, upstreamModel);
            given.TryAdd(upstreamModel, entry);
        }
        entry.Pipeline.Budget.RecordCall();
        return entry.Pipeline;
    }

    private Entry Find(ProviderDefinition provider, string upstreamModel)
    {
        var key = (provider.Retry, provider.CircuitBreaker);
        if (!_entries.TryGetValue((provider.Name, upstreamModel), out var entry) || entry.Key != key)
        {
            var deployment = DeploymentName(provider.Name, upstreamModel);
            entry = _entries.AddOrUpdate((provider.Name, upstreamModel),
                _ => Build(provider, deployment),
                (_, existing) => existing.Key == key ? existing : Build(provider, deployment));
        }
        return entry;
    }

    /// <summary>How a deployment is named in errors, logs and on <c>/health</c>: <c>provider/model</c>.</summary>
    public static string DeploymentName(string provider, string upstreamModel) => $"{provider}/{upstreamModel}";

    /// <summary>Each deployment's circuit (<c>provider/model</c>): <c>closed</c>, <c>open</c> or <c>half-open</c>.</summary>
    public IReadOnlyDictionary<string, string> CircuitStates() =>
        _entries.Values.ToDictionary(e => e.Pipeline.Name, e => e.Pipeline.Circuit.State, StringComparer.Ordinal);

    /// <summary>The retry budget of a deployment (<c>provider/model</c>) that has been called.</summary>
    public RetryBudget? BudgetOf(string deployment) => _entries.Values.FirstOrDefault(e => e.Pipeline.Name == deployment)?.Pipeline.Budget;

    /// <summary>
    /// Whether an outcome says the deployment is down: a refused or broken connection, a timeout of one try (not the
    /// call's own cancellation), or a server error. A 4xx or 429 is an answer from a working upstream and never counts.
    /// </summary>
    public static bool IsBreakerFailure(HttpResponseMessage? response, Exception? exception, bool callEnded) =>
        exception is HttpRequestException or IOException
        || (exception is OperationCanceledException && !callEnded)
        || response is { StatusCode: >= HttpStatusCode.InternalServerError and not HttpStatusCode.NotImplemented };

    /// <summary>Whether an outcome is worth another try: a refused or broken connection, 429, or a server error.</summary>
    public static bool IsTransient(HttpResponseMessage? response, Exception? exception) =>
        exception is HttpRequestException
        || response is { StatusCode: HttpStatusCode.TooManyRequests }
        || response is { StatusCode: >= HttpStatusCode.InternalServerError and not HttpStatusCode.NotImplemented };

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

    private Entry Build(ProviderDefinition provider, string deployment)
    {
        var circuit = new DeploymentCircuit(provider.CircuitBreaker, _time,
            breakDuration => LogCircuitOpened(_logger, deployment, breakDuration.TotalSeconds));
        var pipeline = new DeploymentPipeline(deployment, provider.Retry, new RetryBudget(), circuit, _time,
            (attempt, failure, wait) => LogRetry(_logger, deployment, attempt, failure, wait.TotalMilliseconds));
        return new Entry((provider.Retry, provider.CircuitBreaker), pipeline);
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Warning, Message = "upstream_retry: deployment {Deployment} attempt {Attempt} after {Failure}, waiting {DelayMs} ms")]
    private static partial void LogRetry(ILogger logger, string deployment, int attempt, string failure, double delayMs);

    [LoggerMessage(EventId = 101, Level = LogLevel.Error, Message = "circuit_open: deployment {Deployment} keeps failing; calls stop for {BreakSeconds} s")]
    private static partial void LogCircuitOpened(ILogger logger, string deployment, double breakSeconds);

    private sealed record Entry((RetryPolicy, CircuitBreakerPolicy) Key, DeploymentPipeline Pipeline);
}
