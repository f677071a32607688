using Microsoft.Extensions.Time.Testing;
using SfAi.Core.ModelMap;
using SfAi.Core.Providers.Resilience;

namespace SfAi.Core.Tests.Providers.Resilience;

/// <summary>The breaker of one deployment, on a fake clock: when it opens, whom it lets through, when it closes.</summary>
public sealed class DeploymentCircuitTests
{
    private static readonly CircuitBreakerPolicy Policy = new(FailureRatio: 0.5, MinimumRequests: 4, BreakDuration: TimeSpan.FromSeconds(10));
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 6, 0, 0, 0, TimeSpan.Zero));
    private readonly List<TimeSpan> _opened = [];

    private DeploymentCircuit Circuit() => new(Policy, _time, _opened.Add);

    private static void Calls(DeploymentCircuit circuit, params bool[] failures)
    {
        foreach (var failed in failures)
        {
            Assert.True(circuit.TryEnter(out _));
            circuit.Record(failed);
        }
    }

    [Fact]
    public void Opens_only_once_the_window_holds_enough_calls_and_enough_of_them_failed()
    {
        var circuit = Circuit();

        Calls(circuit, false, true, true);
        Assert.Equal("closed", circuit.State);

        Calls(circuit, true);
        Assert.Equal("open", circuit.State);
        Assert.Equal([Policy.BreakDuration], _opened);
        Assert.False(circuit.TryEnter(out var left));
        Assert.Equal(Policy.BreakDuration, left);
    }

    [Fact]
    public void Stays_closed_while_most_calls_succeed()
    {
        var circuit = Circuit();

        Calls(circuit, false, true, false, false, true, false, false);

        Assert.Equal("closed", circuit.State);
        Assert.Empty(_opened);
    }

    [Fact]
    public void Forgets_failures_older_than_the_sampling_window()
    {
        var circuit = Circuit();
        Calls(circuit, true, true, true);

        _time.Advance(DeploymentCircuit.SamplingDuration + TimeSpan.FromSeconds(3));
        Calls(circuit, true, false, false);

        Assert.Equal("closed", circuit.State);
    }

    [Fact]
    public void Lets_one_trial_through_after_the_break_and_closes_when_it_succeeds()
    {
        var circuit = Circuit();
        Calls(circuit, true, true, true, true);
        _time.Advance(Policy.BreakDuration);

        Assert.True(circuit.TryEnter(out _));
        Assert.Equal("half-open", circuit.State);
        Assert.False(circuit.TryEnter(out _));
        circuit.Record(failed: false);

        Assert.Equal("closed", circuit.State);
        Calls(circuit, true, true, true);
        Assert.Equal("closed", circuit.State);
    }

    [Fact]
    public void Opens_again_for_a_whole_break_when_the_trial_fails()
    {
        var circuit = Circuit();
        Calls(circuit, true, true, true, true);
        _time.Advance(Policy.BreakDuration + TimeSpan.FromSeconds(5));

        Assert.True(circuit.TryEnter(out _));
        circuit.Record(failed: true);

        Assert.Equal("open", circuit.State);
        Assert.Equal(2, _opened.Count);
        _time.Advance(Policy.BreakDuration - TimeSpan.FromSeconds(1));
        Assert.False(circuit.TryEnter(out var left));
        Assert.Equal(TimeSpan.FromSeconds(1), left);
    }
}
