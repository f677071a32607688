using Microsoft.Extensions.Time.Testing;
using SfAi.Core.ModelMap;
using SfAi.Core.Providers;

namespace SfAi.Core.Tests.Providers.Resilience;

/// <summary>The whole call never outlives the invocation that carries it.</summary>
public sealed class UpstreamExchangeTests
{
    private static readonly ProviderDefinition Provider =
        new("p", ProviderType.OpenAI, null, null, TimeSpan.FromSeconds(60)) { TotalTimeout = TimeSpan.FromSeconds(300) };

    [Fact]
    public void Takes_the_providers_total_timeout_without_a_deadline()
    {
        using var exchange = new UpstreamExchange(Provider, null, new FakeTimeProvider(), CancellationToken.None);

        Assert.Equal(TimeSpan.FromSeconds(300), exchange.TotalBudget);
    }

    [Fact]
    public void Ends_before_the_invocation_deadline()
    {
        var time = new FakeTimeProvider();

        using var exchange = new UpstreamExchange(Provider, time.GetUtcNow().AddSeconds(28), time, CancellationToken.None);

        Assert.Equal(TimeSpan.FromSeconds(28) - UpstreamExchange.DeadlineMargin, exchange.TotalBudget);
    }

    [Fact]
    public void Keeps_the_total_timeout_when_the_deadline_is_further()
    {
        var time = new FakeTimeProvider();

        using var exchange = new UpstreamExchange(Provider, time.GetUtcNow().AddMinutes(15), time, CancellationToken.None);

        Assert.Equal(TimeSpan.FromSeconds(300), exchange.TotalBudget);
    }
}
