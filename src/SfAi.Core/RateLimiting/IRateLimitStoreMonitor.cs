namespace SfAi.Core.RateLimiting;

/// <summary>Told about the shared counter store's health by <see cref="GuardedRateLimitStore"/>.</summary>
public interface IRateLimitStoreMonitor
{
    /// <summary>A call could not use the store: it failed, timed out, or was skipped while the store rests.</summary>
    /// <param name="reason">What failed, without request data.</param>
    /// <param name="onFailure">What the request met.</param>
    void Unavailable(string reason, RateLimitStoreFailure onFailure);

    /// <summary>The store answered again after being unavailable.</summary>
    void Recovered();
}
