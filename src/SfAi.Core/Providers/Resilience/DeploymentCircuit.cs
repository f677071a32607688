using SfAi.Core.ModelMap;

namespace SfAi.Core.Providers.Resilience;

/// <summary>
/// The circuit breaker of one deployment. Closed, it counts each call's outcome in a window of the last
/// <see cref="SamplingDuration"/> (ten slices, so old outcomes leave it a slice at a time); when the window holds at
/// least <see cref="CircuitBreakerPolicy.MinimumRequests"/> calls and the failed share reaches
/// <see cref="CircuitBreakerPolicy.FailureRatio"/>, it opens for <see cref="CircuitBreakerPolicy.BreakDuration"/> and
/// refuses calls. The first call after the break is the trial (half-open: the others are still refused): its success
/// closes the circuit with an empty window, its failure opens it again.
/// </summary>
internal sealed class DeploymentCircuit
{
    public static readonly TimeSpan SamplingDuration = TimeSpan.FromSeconds(30);
    private const int Slices = 10;

    private readonly CircuitBreakerPolicy _policy;
    private readonly TimeProvider _time;
    private readonly Action<TimeSpan> _onOpened;
    private readonly Lock _gate = new();
    private readonly Slice[] _slices = new Slice[Slices];
    private readonly long _sliceTicks = SamplingDuration.Ticks / Slices;
    private Phase _phase;
    private DateTimeOffset _openUntil;
    private bool _trialRunning;

    public DeploymentCircuit(CircuitBreakerPolicy policy, TimeProvider time, Action<TimeSpan> onOpened)
    {
        _policy = policy;
        _time = time;
        _onOpened = onOpened;
    }

    private enum Phase
    {
        Closed,
        Open,
        HalfOpen,
    }

    /// <summary><c>closed</c>, <c>open</c> or <c>half-open</c> (open until a call after the break makes it half-open).</summary>
    public string State
    {
        get
        {
            lock (_gate)
            {
                return _phase switch
                {
                    Phase.Open => "open",
                    Phase.HalfOpen => "half-open",
                    _ => "closed",
                };
            }
        }
    }

    /// <summary>Whether a call may go ahead; when not, how long the break still lasts.</summary>
    public bool TryEnter(out TimeSpan breakLeft)
    {
        breakLeft = TimeSpan.Zero;
        lock (_gate)
        {
            switch (_phase)
            {
                case Phase.Closed:
                    return true;
                case Phase.Open when _time.GetUtcNow() < _openUntil:
                    breakLeft = _openUntil - _time.GetUtcNow();
                    return false;
                case Phase.Open:
                    _phase = Phase.HalfOpen;
                    _trialRunning = true;
                    return true;
                default:
                    if (_trialRunning)
                    {
                        breakLeft = TimeSpan.Zero;
                        return false;
                    }
                    _trialRunning = true;
                    return true;
            }
        }
    }

    /// <summary>Counts the outcome of a call that <see cref="TryEnter"/> let through.</summary>
    public void Record(bool failed)
    {
        TimeSpan? opened = null;
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (_phase == Phase.HalfOpen)
            {
                _trialRunning = false;
                if (failed)
                {
                    opened = Open(now);
                }
                else
                {
                    _phase = Phase.Closed;
                    Array.Clear(_slices);
                }
            }
            else if (_phase == Phase.Closed)
            {
                var index = now.UtcTicks / _sliceTicks;
                ref var slice = ref _slices[index % Slices];
                if (slice.Index != index)
                {
                    slice = new Slice { Index = index };
                }
                slice.Calls++;
                slice.Failures += failed ? 1 : 0;
                if (failed && ShouldOpen(index))
                {
                    opened = Open(now);
                }
            }
        }
        if (opened is { } breakDuration)
        {
            _onOpened(breakDuration);
        }
    }

    private bool ShouldOpen(long currentIndex)
    {
        long calls = 0, failures = 0;
        foreach (var slice in _slices)
        {
            if (slice.Index > currentIndex - Slices)
            {
                calls += slice.Calls;
                failures += slice.Failures;
            }
        }
        return calls >= _policy.MinimumRequests && failures >= _policy.FailureRatio * calls;
    }

    private TimeSpan Open(DateTimeOffset now)
    {
        _phase = Phase.Open;
        _openUntil = now + _policy.BreakDuration;
        Array.Clear(_slices);
        return _policy.BreakDuration;
    }

    private struct Slice
    {
        public long Index;
        public int Calls;
        public int Failures;
    }
}
