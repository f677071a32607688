using SfAi.Core.Providers.Resilience;

namespace SfAi.Core.Tests.Providers.Resilience;

/// <summary>Retries are bounded to a share of the calls, so an outage does not multiply the load.</summary>
public sealed class RetryBudgetTests
{
    [Fact]
    public void Allows_a_burst_of_retries_then_refuses()
    {
        var budget = new RetryBudget();

        var granted = Enumerable.Range(0, 20).Count(_ => budget.TrySpend());

        Assert.Equal(10, granted);
        Assert.False(budget.CanRetry);
    }

    [Fact]
    public void Earns_one_retry_for_every_five_calls()
    {
        var budget = new RetryBudget();
        while (budget.TrySpend())
        {
        }

        for (var i = 0; i < 5; i++)
        {
            budget.RecordCall();
        }

        Assert.True(budget.TrySpend());
        Assert.False(budget.TrySpend());
    }

    [Fact]
    public void Never_saves_more_than_its_capacity()
    {
        var budget = new RetryBudget();

        for (var i = 0; i < 1000; i++)
        {
            budget.RecordCall();
        }

        Assert.Equal(RetryBudget.Capacity, budget.Balance);
    }
}
