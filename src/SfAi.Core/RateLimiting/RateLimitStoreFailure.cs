namespace SfAi.Core.RateLimiting;

/// <summary><c>RATE_LIMIT_STORE_FAILURE</c>: what a request meets while the shared counter store cannot be reached.</summary>
public enum RateLimitStoreFailure
{
    /// <summary>Served without counting (the default): an outage of the store never becomes an outage of the gateway.</summary>
    Open,

    /// <summary>Refused with 503 <c>rate_limit_store_unavailable</c>: no request goes uncounted.</summary>
    Closed,
}
