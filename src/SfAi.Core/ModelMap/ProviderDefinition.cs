namespace SfAi.Core.ModelMap;

/// <summary>One entry of the model map's <c>providers</c>.</summary>
/// <param name="Name">The provider's name in the map.</param>
/// <param name="Type">Its protocol.</param>
/// <param name="BaseUrl">Its API root, when not the vendor's default.</param>
/// <param name="ApiKey">Where its key comes from.</param>
/// <param name="Timeout">The longest wait for response headers, a whole body, or the next stream event.</param>
public sealed record ProviderDefinition(
    string Name,
    ProviderType Type,
    Uri? BaseUrl,
    SecretReference? ApiKey,
    TimeSpan Timeout)
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The longest wait for a connection (TCP and TLS).</summary>
    public TimeSpan ConnectTimeout { get; init; } = Providers.UpstreamConnections.DefaultConnectTimeout;

    /// <summary>The longest a whole call may take, retries included; never beyond the invocation's deadline.</summary>
    public TimeSpan TotalTimeout { get; init; } = TimeSpan.FromMinutes(5);

    public RetryPolicy Retry { get; init; } = RetryPolicy.Default;

    public CircuitBreakerPolicy CircuitBreaker { get; init; } = CircuitBreakerPolicy.Default;
}

/// <summary>Retries on refused connections, 429 and 5xx, before anything has reached the client.</summary>
/// <param name="Attempts">Retries after the first try (0 to 5).</param>
/// <param name="BaseDelay">The first backoff; it doubles each retry, with jitter, unless the provider says <c>Retry-After</c>.</param>
public sealed record RetryPolicy(int Attempts, TimeSpan BaseDelay)
{
    public static readonly RetryPolicy Default = new(2, TimeSpan.FromMilliseconds(500));
}

/// <summary>Stops calling a deployment (provider and model) that keeps failing, for a short while, and says so on <c>/health</c>.</summary>
/// <param name="FailureRatio">The share of failed calls in the sampling window that opens the circuit.</param>
/// <param name="MinimumRequests">How many calls the window needs before it may open.</param>
/// <param name="BreakDuration">How long it stays open before letting a trial call through.</param>
public sealed record CircuitBreakerPolicy(double FailureRatio, int MinimumRequests, TimeSpan BreakDuration)
{
    public static readonly CircuitBreakerPolicy Default = new(0.5, 10, TimeSpan.FromSeconds(10));
}
