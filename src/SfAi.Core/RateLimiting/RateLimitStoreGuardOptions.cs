namespace SfAi.Core.RateLimiting;

/// <param name="OnFailure">Serve uncounted or refuse while the store is unavailable.</param>
/// <param name="Timeout">The longest one call to the store may take (<c>RATE_LIMIT_STORE_TIMEOUT_MS</c>).</param>
/// <param name="Rest">After a failure, how long calls skip the store, so an outage costs no request its timeout.</param>
public sealed record RateLimitStoreGuardOptions(RateLimitStoreFailure OnFailure, TimeSpan Timeout, TimeSpan Rest)
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMilliseconds(500);
    public static readonly TimeSpan DefaultRest = TimeSpan.FromSeconds(5);
}
