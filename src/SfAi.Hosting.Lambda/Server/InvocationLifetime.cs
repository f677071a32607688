using Microsoft.AspNetCore.Http.Features;

namespace SfAi.Hosting.Lambda.Server;

/// <summary>
/// The request's lifetime: <c>RequestAborted</c> fires at the invocation's deadline, or when the app aborts the
/// request, which it does to say that the response it began must not be taken as complete.
/// </summary>
internal sealed class InvocationLifetime : IHttpRequestLifetimeFeature, IDisposable
{
    private static readonly TimeSpan LongestWait = TimeSpan.FromDays(1);
    private readonly CancellationTokenSource _aborted;
    private readonly Action _onAbort;

    public InvocationLifetime(DateTimeOffset deadline, TimeProvider time, Action onAbort)
    {
        _onAbort = onAbort;
        var left = deadline - time.GetUtcNow();
        _aborted = new CancellationTokenSource(TimeSpan.FromTicks(Math.Clamp(left.Ticks, 1, LongestWait.Ticks)), time);
        RequestAborted = _aborted.Token;
    }

    public CancellationToken RequestAborted { get; set; }

    /// <summary>Whether the app called <see cref="Abort"/>.</summary>
    public bool AbortedByApp { get; private set; }

    public void Abort()
    {
        AbortedByApp = true;
        _onAbort();
        _aborted.Cancel();
    }

    public void Dispose() => _aborted.Dispose();
}
