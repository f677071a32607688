using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SfAi.Core.Errors;
using SfAi.Core.ModelMap;
using SfAi.Core.Providers;
using SfAi.Core.Providers.Resilience;

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

    /// <summary>Answers each try with the next of <paramref name="answers"/>; null waits until the call is cancelled.</summary>
    private sealed class ScriptedUpstream(params Func<HttpResponseMessage>?[] answers) : HttpMessageHandler
    {
        private int _tries;

        public int Tries => _tries;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var answer = answers[Math.Min(Interlocked.Increment(ref _tries) - 1, answers.Length - 1)];
            if (answer is null)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            return answer!();
        }
    }

    private static async Task<GatewayError?> CallAsync(ProviderDefinition provider, ScriptedUpstream upstream, ProviderResilience resilience)
    {
        using var exchange = new UpstreamExchange(provider, null, TimeProvider.System, CancellationToken.None);
        using var http = new HttpMessageInvoker(upstream);
        try
        {
            using var response = await exchange.SendForSuccessAsync(http, () => new HttpRequestMessage(HttpMethod.Post, "http://upstream.test/v1/chat/completions"),
                resilience.For(provider, "m"), (status, _, _) => GatewayError.UpstreamUnavailable(provider.Name, $"answered {status}"));
            return null;
        }
        catch (GatewayException ex)
        {
            return ex.Error;
        }
    }

    private static ProviderResilience Resilience() => new(TimeProvider.System, NullLogger<ProviderResilience>.Instance);

    [Fact]
    public async Task A_try_that_stays_silent_times_out_and_counts_against_the_circuit()
    {
        var provider = Provider with
        {
            Timeout = TimeSpan.FromMilliseconds(150),
            Retry = new RetryPolicy(0, TimeSpan.Zero),
            CircuitBreaker = new CircuitBreakerPolicy(0.5, 2, TimeSpan.FromSeconds(30)),
        };
        var resilience = Resilience();
        var upstream = new ScriptedUpstream([null]);

        var first = await CallAsync(provider, upstream, resilience);
        await CallAsync(provider, upstream, resilience);
        var third = await CallAsync(provider, upstream, resilience);

        Assert.Equal("upstream_timeout", first!.Code);
        Assert.DoesNotContain("did not finish", first.Message, StringComparison.Ordinal);
        Assert.Equal("circuit_open", third!.Code);
        Assert.Equal(2, upstream.Tries);
    }

    [Fact]
    public async Task The_whole_call_ends_at_its_total_timeout_and_says_so()
    {
        var provider = Provider with { Timeout = TimeSpan.FromSeconds(30), TotalTimeout = TimeSpan.FromMilliseconds(200) };

        var error = await CallAsync(provider, new ScriptedUpstream([null]), Resilience());

        Assert.Equal("upstream_timeout", error!.Code);
        Assert.Contains("did not finish within the 0.2 s", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_wait_between_tries_is_not_counted_as_silence()
    {
        // A wait longer than the silence allowed, with room for a loaded machine around the tries themselves (at 150 ms
        // of silence allowed, a machine under load once took longer than that between an answer and the wait).
        var provider = Provider with { Timeout = TimeSpan.FromMilliseconds(600), Retry = new RetryPolicy(1, TimeSpan.Zero) };
        var upstream = new ScriptedUpstream(
            () => new HttpResponseMessage(HttpStatusCode.TooManyRequests) { Headers = { { "retry-after-ms", "900" } } },
            () => new HttpResponseMessage(HttpStatusCode.OK));

        var error = await CallAsync(provider, upstream, Resilience());

        Assert.Null(error);
        Assert.Equal(2, upstream.Tries);
    }
}
