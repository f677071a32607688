using Microsoft.Extensions.Time.Testing;
using SfAi.Core.Access;
using SfAi.Core.Errors;
using SfAi.Core.RateLimiting;

namespace SfAi.Core.Tests.RateLimiting;

/// <summary>Per-minute request and token limits over the in-memory store, with a fake clock.</summary>
public sealed class RateLimiterTests
{
    private static readonly CancellationToken Token = CancellationToken.None;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 28, 12, 0, 15, TimeSpan.Zero));

    private RateLimiter Limiter(int globalQpm = 0, IRateLimitStore? store = null) =>
        new(store ?? new InMemoryRateLimitStore(_time), _time, globalQpm);

    private static AccessGrant Key(string name, int? qpm = null, int? tpm = null) => new(name, null, qpm, tpm);

    [Fact]
    public async Task Lets_requests_through_up_to_the_key_limit_then_refuses_with_429()
    {
        var limiter = Limiter();
        var alice = Key("alice", qpm: 2);
        await limiter.AcquireRequestAsync(alice, Token);
        await limiter.AcquireRequestAsync(alice, Token);

        var error = await Assert.ThrowsAsync<GatewayException>(() => limiter.AcquireRequestAsync(alice, Token).AsTask());

        Assert.Equal(429, error.Error.Status);
        Assert.Equal("rate_limit_exceeded", error.Error.Code);
        Assert.Equal("rate_limited", error.Error.Kind);
        Assert.Equal("Rate limit reached for key 'alice' on requests per min (RPM): Limit 2, Used 2, Requested 1. Please try again in 45s.", error.Error.Message);
    }

    [Fact]
    public async Task Sends_Retry_After_and_OpenAI_style_rate_limit_headers_with_the_429()
    {
        var limiter = Limiter(globalQpm: 1);
        await limiter.AcquireRequestAsync(Key("a"), Token);

        var error = await Assert.ThrowsAsync<GatewayException>(() => limiter.AcquireRequestAsync(Key("b"), Token).AsTask());

        Assert.Equal("45", error.Error.RetryAfter);
        Assert.Equal("1", error.Error.Headers!["x-ratelimit-limit-requests"]);
        Assert.Equal("0", error.Error.Headers["x-ratelimit-remaining-requests"]);
        Assert.Equal("45s", error.Error.Headers["x-ratelimit-reset-requests"]);
        Assert.Contains("the gateway", error.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keeps_each_keys_limit_apart()
    {
        var limiter = Limiter();
        await limiter.AcquireRequestAsync(Key("alice", qpm: 1), Token);

        var bob = await limiter.AcquireRequestAsync(Key("bob", qpm: 1), Token);

        Assert.Equal(0, bob!.Value.Remaining);
    }

    [Fact]
    public async Task Starts_afresh_in_the_next_minute()
    {
        var limiter = Limiter();
        var alice = Key("alice", qpm: 1);
        await limiter.AcquireRequestAsync(alice, Token);
        _time.Advance(TimeSpan.FromSeconds(45));

        var state = await limiter.AcquireRequestAsync(alice, Token);

        Assert.Equal(new LimitState(1, 0, TimeSpan.FromSeconds(60)), state);
    }

    [Fact]
    public async Task Gives_back_the_global_count_when_the_key_limit_refuses()
    {
        var store = new InMemoryRateLimitStore(_time);
        var limiter = Limiter(globalQpm: 2, store);
        await limiter.AcquireRequestAsync(Key("alice", qpm: 1), Token);
        await Assert.ThrowsAsync<GatewayException>(() => limiter.AcquireRequestAsync(Key("alice", qpm: 1), Token).AsTask());

        var bob = await limiter.AcquireRequestAsync(Key("bob"), Token);

        Assert.Equal(0, bob!.Value.Remaining);
    }

    [Fact]
    public async Task Reports_the_tightest_limit_for_the_headers()
    {
        var state = await Limiter(globalQpm: 100).AcquireRequestAsync(Key("alice", qpm: 3), Token);

        Assert.Equal(new LimitState(3, 2, TimeSpan.FromSeconds(45)), state);
    }

    [Fact]
    public async Task Counts_nothing_without_any_limit()
    {
        Assert.Null(await Limiter().AcquireRequestAsync(Key("alice"), Token));
    }

    [Fact]
    public async Task Lets_exactly_the_limit_through_under_concurrency()
    {
        var limiter = Limiter();
        var alice = Key("alice", qpm: 7);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => Task.Run(async () =>
        {
            try
            {
                await limiter.AcquireRequestAsync(alice, Token);
                return true;
            }
            catch (GatewayException)
            {
                return false;
            }
        })));

        Assert.Equal(7, outcomes.Count(passed => passed));
    }

    [Fact]
    public async Task Reserves_estimated_tokens_and_refuses_past_the_token_limit()
    {
        var limiter = Limiter();
        var alice = Key("alice", tpm: 1000);
        var first = await limiter.ReserveTokensAsync(alice, 600, Token);

        var error = await Assert.ThrowsAsync<GatewayException>(() => limiter.ReserveTokensAsync(alice, 600, Token).AsTask());

        Assert.Equal(400, first!.State.Remaining);
        Assert.Equal("tokens", error.Error.Type);
        Assert.Equal("1000", error.Error.Headers!["x-ratelimit-limit-tokens"]);
    }

    [Fact]
    public async Task Corrects_a_reservation_by_the_real_usage()
    {
        var limiter = Limiter();
        var alice = Key("alice", tpm: 1000);
        var reservation = await limiter.ReserveTokensAsync(alice, 600, Token);

        await limiter.SettleAsync(reservation!, 100, Token);
        var next = await limiter.ReserveTokensAsync(alice, 850, Token);

        Assert.Equal(50, next!.State.Remaining);
    }

    [Fact]
    public async Task Reserves_nothing_for_a_key_without_a_token_limit() =>
        Assert.Null(await Limiter().ReserveTokensAsync(Key("alice"), 10, Token));

    [Theory]
    [InlineData(90_000, "1m30s")]
    [InlineData(12_300, "13s")]
    [InlineData(350, "350ms")]
    public void Writes_reset_times_as_OpenAI_does(int milliseconds, string expected) =>
        Assert.Equal(expected, RateLimiter.FormatReset(TimeSpan.FromMilliseconds(milliseconds)));

    [Fact]
    public async Task Counts_each_Supabase_users_tokens_on_their_own()
    {
        var limiter = Limiter();
        var ada = new AccessGrant("supabase", null, null, 100) { UserId = "user-ada" };
        var bob = new AccessGrant("supabase", null, null, 100) { UserId = "user-bob" };
        await limiter.ReserveTokensAsync(ada, 100, Token);

        var error = await Assert.ThrowsAsync<GatewayException>(() => limiter.ReserveTokensAsync(ada, 1, Token).AsTask());
        var bobs = await limiter.ReserveTokensAsync(bob, 100, Token);

        Assert.Contains("user 'user-ada'", error.Error.Message, StringComparison.Ordinal);
        Assert.Equal(0, bobs!.State.Remaining);
    }
}
