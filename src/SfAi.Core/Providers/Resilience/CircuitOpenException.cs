using Polly;
using Polly.CircuitBreaker;

namespace SfAi.Core.Providers.Resilience;

/// <summary>
/// An open circuit that names its deployment and the time left of its break, so the client's 503 can say which model
/// is resting and send a <c>Retry-After</c> (Polly's own exception knows neither the deployment nor our clock).
/// </summary>
public sealed class CircuitOpenException : BrokenCircuitException
{
    public CircuitOpenException(string deployment, TimeSpan retryAfter, Exception inner)
        : base($"The circuit of '{deployment}' is open.", retryAfter, inner)
    {
        Deployment = deployment;
    }

    public string Deployment { get; }

    /// <summary>The whole seconds left of the break, rounded up, at least 1.</summary>
    public int RetryAfterSeconds => (int)Math.Max(1, Math.Ceiling((RetryAfter ?? TimeSpan.Zero).TotalSeconds));
}

/// <summary>When the current break of a circuit ends, as recorded by <c>OnOpened</c>.</summary>
internal sealed class OpenUntil
{
    private long _ticks;

    public void Set(DateTimeOffset until) => Interlocked.Exchange(ref _ticks, until.UtcTicks);

    public TimeSpan Left(DateTimeOffset now)
    {
        var left = new DateTimeOffset(Interlocked.Read(ref _ticks), TimeSpan.Zero) - now;
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }
}

internal sealed class CircuitOpenTranslationOptions : ResilienceStrategyOptions
{
}

/// <summary>The outermost strategy: turns Polly's broken-circuit exception into a <see cref="CircuitOpenException"/>.</summary>
internal sealed class CircuitOpenTranslation(string deployment, OpenUntil openUntil, TimeProvider time) : ResilienceStrategy<HttpResponseMessage>
{
    protected override async ValueTask<Outcome<HttpResponseMessage>> ExecuteCore<TState>(
        Func<ResilienceContext, TState, ValueTask<Outcome<HttpResponseMessage>>> callback, ResilienceContext context, TState state)
    {
        var outcome = await callback(context, state).ConfigureAwait(context.ContinueOnCapturedContext);
        return outcome.Exception is BrokenCircuitException broken and not CircuitOpenException
            ? Outcome.FromException<HttpResponseMessage>(new CircuitOpenException(deployment, openUntil.Left(time.GetUtcNow()), broken))
            : outcome;
    }
}
