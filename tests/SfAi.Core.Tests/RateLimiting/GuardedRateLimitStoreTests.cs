using Microsoft.Extensions.Time.Testing;
using SfAi.Core.Access;
using SfAi.Core.Errors;
using SfAi.Core.RateLimiting;

namespace SfAi.Core.Tests.RateLimiting;

/// <summary>The guard around a remote counter store: bounded calls, the failure policy, the rest after a failure, refunds.</summary>
public sealed class GuardedRateLimitStoreTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan Rest = TimeSpan.FromSeconds(5);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 12, 0, 15, TimeSpan.Zero));
    private readonly RecordingMonitor _monitor = new();
    private readonly SwitchableStore _inner;

    public GuardedRateLimitStoreTests() => _inner = new SwitchableStore(new InMemoryRateLimitStore(_time));

    private GuardedRateLimitStore Guard(RateLimitStoreFailure onFailure) =>
        new(_inner, new RateLimitStoreGuardOptions(onFailure, Timeout, Rest), _time, _monitor);

    private RateWindow Window => RateWindow.Containing(_time.GetUtcNow(), RateWindow.Minute);

    [Fact]
    public async Task Open_lets_a_call_through_uncounted_when_the_store_fails()
    {
        var guard = Guard(RateLimitStoreFailure.Open);
        _inner.Failure = new HttpRequestException("Connection refused (127.0.0.1:8000)");

        var result = await guard.TryAddAsync("gateway:requests", 1, 10, Window, CancellationToken.None);

        Assert.True(result.Added);
        Assert.False(result.Counted);
        var (reason, policy) = Assert.Single(_monitor.Unavailable);
        Assert.Contains("Connection refused", reason, StringComparison.Ordinal);
        Assert.Equal(RateLimitStoreFailure.Open, policy);
    }

    [Fact]
    public async Task Closed_refuses_with_503_and_a_Retry_After_of_the_rest()
    {
        var guard = Guard(RateLimitStoreFailure.Closed);
        _inner.Failure = new IOException("reset by peer");

        var error = await Assert.ThrowsAsync<GatewayException>(() => guard.TryAddAsync("gateway:requests", 1, 10, Window, CancellationToken.None).AsTask());

        Assert.Equal(503, error.Error.Status);
        Assert.Equal("rate_limit_store_unavailable", error.Error.Code);
        Assert.Equal(ErrorKinds.RateLimitStoreUnavailable, error.Error.Kind);
        Assert.Equal("5", error.Error.RetryAfter);
    }

    [Fact]
    public async Task A_call_the_store_does_not_answer_ends_at_the_timeout()
    {
        var guard = Guard(RateLimitStoreFailure.Open);
        _inner.Hangs = true;

        var call = guard.TryAddAsync("gateway:requests", 1, 10, Window, CancellationToken.None).AsTask();
        _time.Advance(Timeout - TimeSpan.FromMilliseconds(1));
        Assert.False(call.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        var result = await call.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.False(result.Counted);
        Assert.Equal("no answer within 300 ms", Assert.Single(_monitor.Unavailable).Reason);
    }

    [Fact]
    public async Task After_a_failure_calls_skip_the_store_until_the_rest_ends_then_recovery_is_told_once()
    {
        var guard = Guard(RateLimitStoreFailure.Open);
        _inner.Failure = new HttpRequestException("down");
        await guard.TryAddAsync("c", 1, 10, Window, CancellationToken.None);
        _inner.Failure = null;

        _time.Advance(Rest - TimeSpan.FromSeconds(1));
        var resting = await guard.TryAddAsync("c", 1, 10, Window, CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(1));
        var back = await guard.TryAddAsync("c", 1, 10, Window, CancellationToken.None);
        await guard.TryAddAsync("c", 1, 10, Window, CancellationToken.None);

        Assert.False(resting.Counted);
        Assert.Equal(new CounterResult(true, 1), back);
        Assert.Equal(3, _inner.Calls);
        Assert.Equal(2, _monitor.Unavailable.Count);
        Assert.Equal(1, _monitor.Recoveries);
    }

    [Fact]
    public async Task A_failed_correction_never_fails_the_request()
    {
        var guard = Guard(RateLimitStoreFailure.Closed);
        _inner.Failure = new HttpRequestException("down");

        await guard.AdjustAsync("key:alice:tokens", -40, Window, CancellationToken.None);

        Assert.Single(_monitor.Unavailable);
    }

    [Fact]
    public async Task The_caller_cancelling_is_not_an_outage()
    {
        var guard = Guard(RateLimitStoreFailure.Closed);
        _inner.Hangs = true;
        using var caller = new CancellationTokenSource();

        var call = guard.TryAddAsync("c", 1, 10, Window, caller.Token).AsTask();
        await caller.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Empty(_monitor.Unavailable);
    }

    [Fact]
    public async Task Closed_refunds_the_gateway_count_when_the_key_counter_cannot_be_reached()
    {
        var guard = Guard(RateLimitStoreFailure.Closed);
        var limiter = new RateLimiter(guard, _time, globalRequestsPerMinute: 10);
        _inner.FailOn = "key:alice:requests";

        await Assert.ThrowsAsync<GatewayException>(() => limiter.AcquireRequestAsync(new AccessGrant("alice", null, 5, null), CancellationToken.None).AsTask());
        _inner.FailOn = null;
        _time.Advance(Rest);
        var state = await limiter.AcquireRequestAsync(new AccessGrant("bob", null, null, null), CancellationToken.None);

        Assert.Equal(9, state!.Value.Remaining);
    }

    [Fact]
    public async Task Open_grants_no_token_reservation_it_could_not_count()
    {
        var limiter = new RateLimiter(Guard(RateLimitStoreFailure.Open), _time, globalRequestsPerMinute: 0);
        _inner.Failure = new HttpRequestException("down");

        var reservation = await limiter.ReserveTokensAsync(new AccessGrant("alice", null, null, 1000), 200, CancellationToken.None);
        var requests = await limiter.AcquireRequestAsync(new AccessGrant("alice", null, 5, null), CancellationToken.None);

        Assert.Null(reservation);
        Assert.Null(requests);
    }

    [Fact]
    public async Task A_read_tells_the_count_and_null_when_the_store_fails_even_closed()
    {
        var guard = Guard(RateLimitStoreFailure.Closed);
        await guard.TryAddAsync("budget:key:alice:day", 7, 100, Window, CancellationToken.None);

        var counted = await guard.ReadAsync("budget:key:alice:day", Window, CancellationToken.None);
        var never = await guard.ReadAsync("budget:key:bob:day", Window, CancellationToken.None);
        _inner.Failure = new HttpRequestException("Connection refused");
        var failed = await guard.ReadAsync("budget:key:alice:day", Window, CancellationToken.None);
        var calls = _inner.Calls;
        var resting = await guard.ReadAsync("budget:key:alice:day", Window, CancellationToken.None);

        Assert.Equal((7L, 0L), (counted, never));
        Assert.Null(failed);
        Assert.Null(resting);
        Assert.Equal(calls, _inner.Calls);
        Assert.Single(_monitor.Unavailable);
    }

    private sealed class SwitchableStore(IRateLimitStore inner) : IRateLimitStore
    {
        public Exception? Failure { get; set; }

        public string? FailOn { get; set; }

        public bool Hangs { get; set; }

        public int Calls { get; private set; }

        public async ValueTask<CounterResult> TryAddAsync(string counter, long amount, long limit, RateWindow window, CancellationToken cancellationToken)
        {
            await Enter(counter, cancellationToken);
            return await inner.TryAddAsync(counter, amount, limit, window, cancellationToken);
        }

        public async ValueTask AdjustAsync(string counter, long delta, RateWindow window, CancellationToken cancellationToken)
        {
            await Enter(counter, cancellationToken);
            await inner.AdjustAsync(counter, delta, window, cancellationToken);
        }

        public async ValueTask<long?> ReadAsync(string counter, RateWindow window, CancellationToken cancellationToken)
        {
            await Enter(counter, cancellationToken);
            return await inner.ReadAsync(counter, window, cancellationToken);
        }

        private async Task Enter(string counter, CancellationToken cancellationToken)
        {
            Calls++;
            if (Hangs)
            {
                await Task.Delay(System.Threading.Timeout.Infinite, cancellationToken);
            }
            if (Failure is { } failure)
            {
                throw failure;
            }
            if (FailOn == counter)
            {
                throw new HttpRequestException($"{counter}: down");
            }
        }
    }

    private sealed class RecordingMonitor : IRateLimitStoreMonitor
    {
        public List<(string Reason, RateLimitStoreFailure Policy)> Unavailable { get; } = [];

        public int Recoveries { get; private set; }

        void IRateLimitStoreMonitor.Unavailable(string reason, RateLimitStoreFailure onFailure) => Unavailable.Add((reason, onFailure));

        public void Recovered() => Recoveries++;
    }
}
