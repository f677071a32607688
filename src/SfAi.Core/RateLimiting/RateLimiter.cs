using System.Globalization;
using SfAi.Core.Access;
using SfAi.Core.Errors;

namespace SfAi.Core.RateLimiting;

/// <summary>
/// Per-minute limits: the gateway's requests (<c>RATE_LIMIT_QPM</c>), each key's (or each Supabase user's) requests
/// (<c>qpm</c>) and tokens (<c>tpm</c>: the estimated prompt tokens are reserved on entry and corrected by the real usage at the end).
/// Over a limit: 429 in OpenAI's shape with <c>Retry-After</c> and <c>x-ratelimit-*</c> headers.
/// </summary>
public sealed class RateLimiter
{
    public const string GlobalName = "gateway";
    private readonly IRateLimitStore _store;
    private readonly TimeProvider _time;
    private readonly int _globalQpm;

    public RateLimiter(IRateLimitStore store, TimeProvider time, int globalRequestsPerMinute)
    {
        _store = store;
        _time = time;
        _globalQpm = globalRequestsPerMinute;
    }

    /// <summary>Counts one request against the global and the key's request limits (all or none).</summary>
    /// <returns>The tightest request limit that applies, for the headers; <c>null</c> when none does or none could be counted.</returns>
    /// <exception cref="GatewayException">429: a limit is reached; 503: the store cannot count it and its failure policy is closed.</exception>
    public async ValueTask<LimitState?> AcquireRequestAsync(AccessGrant grant, CancellationToken cancellationToken)
    {
        var window = RateWindow.Containing(_time.GetUtcNow(), RateWindow.Minute);
        LimitState? tightest = null;
        var taken = new List<string>(2);
        try
        {
            foreach (var (counter, limit, owner) in RequestLimits(grant))
            {
                var result = await _store.TryAddAsync(counter, 1, limit, window, cancellationToken);
                if (!result.Added)
                {
                    throw Exceeded("requests", "RPM", owner, limit, result.Count, 1, window);
                }
                if (!result.Counted)
                {
                    continue;
                }
                taken.Add(counter);
                var state = new LimitState(limit, Math.Max(0, limit - result.Count), window.End - _time.GetUtcNow());
                tightest = tightest is null || state.Remaining < tightest.Value.Remaining ? state : tightest;
            }
        }
        catch
        {
            foreach (var previous in taken)
            {
                await _store.AdjustAsync(previous, -1, window, CancellationToken.None);
            }
            throw;
        }
        return tightest;
    }

    /// <summary>Reserves the request's estimated tokens against the key's token limit.</summary>
    /// <returns>The reservation to settle when the real usage is known; <c>null</c> when the key has no token limit or the store could not count it.</returns>
    /// <exception cref="GatewayException">429: the key's tokens for this minute are spent; 503: the store cannot count them and its failure policy is closed.</exception>
    public async ValueTask<TokenReservation?> ReserveTokensAsync(AccessGrant grant, int estimatedTokens, CancellationToken cancellationToken)
    {
        if (grant.TokensPerMinute is not { } limit)
        {
            return null;
        }
        var window = RateWindow.Containing(_time.GetUtcNow(), RateWindow.Minute);
        var counter = $"{grant.LimitKey}:tokens";
        var result = await _store.TryAddAsync(counter, estimatedTokens, limit, window, cancellationToken);
        if (!result.Added)
        {
            throw Exceeded("tokens", "TPM", grant.LimitOwner, limit, result.Count, estimatedTokens, window);
        }
        if (!result.Counted)
        {
            return null;
        }
        return new TokenReservation(counter, window, estimatedTokens,
            new LimitState(limit, Math.Max(0, limit - result.Count), window.End - _time.GetUtcNow()));
    }

    /// <summary>Corrects a reservation by the tokens really used (input and output).</summary>
    public ValueTask SettleAsync(TokenReservation reservation, int actualTokens, CancellationToken cancellationToken) =>
        actualTokens == reservation.Reserved
            ? ValueTask.CompletedTask
            : _store.AdjustAsync(reservation.Counter, actualTokens - reservation.Reserved, reservation.Window, cancellationToken);

    /// <summary><c>1m0s</c>, <c>12s</c>, <c>350ms</c>: how OpenAI writes its <c>x-ratelimit-reset-*</c> values.</summary>
    public static string FormatReset(TimeSpan span) => span.TotalSeconds >= 60
        ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalMinutes}m{span.Seconds}s")
        : span.TotalSeconds >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)Math.Ceiling(span.TotalSeconds)}s")
            : string.Create(CultureInfo.InvariantCulture, $"{Math.Max(1, (int)span.TotalMilliseconds)}ms");

    private IEnumerable<(string Counter, long Limit, string Owner)> RequestLimits(AccessGrant grant)
    {
        if (_globalQpm > 0)
        {
            yield return ("gateway:requests", _globalQpm, "the gateway");
        }
        if (grant.RequestsPerMinute is { } perKey)
        {
            yield return ($"{grant.LimitKey}:requests", perKey, grant.LimitOwner);
        }
    }

    private GatewayException Exceeded(string kind, string unit, string owner, long limit, long used, long requested, RateWindow window)
    {
        var resetIn = window.End - _time.GetUtcNow();
        var retryAfter = Math.Max(1, (int)Math.Ceiling(resetIn.TotalSeconds));
        var message = string.Create(CultureInfo.InvariantCulture,
            $"Rate limit reached for {owner} on {kind} per min ({unit}): Limit {limit}, Used {Math.Min(used, limit)}, Requested {requested}. Please try again in {retryAfter}s.");
        return new GatewayException(new GatewayError(429, kind, "rate_limit_exceeded", null, message, ErrorKinds.RateLimited)
        {
            RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture),
            Headers = RateLimitHeaders.For(kind, new LimitState(limit, 0, resetIn)),
        });
    }
}

/// <summary>Tokens reserved for a request in one window, settled when its usage is known.</summary>
public sealed record TokenReservation(string Counter, RateWindow Window, int Reserved, LimitState State);
