using System.Net.Http.Headers;
using SfAi.Core.Errors;

namespace SfAi.Core.Access.Supabase;

/// <summary>
/// The project's JWKS, fetched when first needed and kept for its <c>Cache-Control: max-age</c> (10 minutes when it
/// gives none). A token naming an unknown <c>kid</c> (a rotation) fetches it again, at most once a minute; through a
/// JWKS outage the last good set keeps verifying, and the fetch is retried a minute later. With no set yet, a failed
/// fetch answers every session token with 503 for <see cref="FailureCooldown"/> before it is tried again, so an outage
/// at start costs each request no more than a refusal (not the fetch's timeout).
/// </summary>
public sealed class SigningKeyCache
{
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan RefetchInterval = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan FailureCooldown = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan FetchTimeout = TimeSpan.FromSeconds(5);

    private readonly HttpClient _http;
    private readonly Uri _jwksUri;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private Task<Snapshot>? _refresh;
    private volatile Snapshot? _current;
    private DateTimeOffset _lastUnknownKeyFetch = DateTimeOffset.MinValue;
    private volatile FirstFetchFailure? _firstFetchFailure;

    public SigningKeyCache(HttpClient http, Uri jwksUri, TimeProvider time)
    {
        _http = http;
        _jwksUri = jwksUri;
        _time = time;
    }

    /// <summary>The key named <paramref name="keyId"/>; <c>null</c> when the project's JWKS has none of that name.</summary>
    /// <exception cref="GatewayException">503: the JWKS was never fetched and cannot be now.</exception>
    public async ValueTask<SigningKey?> FindAsync(string keyId, CancellationToken cancellationToken)
    {
        var snapshot = _current;
        if (snapshot is null && _firstFetchFailure is { } failure && _time.GetUtcNow() < failure.Until)
        {
            throw new GatewayException(failure.Error);
        }
        if (snapshot is null || _time.GetUtcNow() >= snapshot.FreshUntil)
        {
            snapshot = await RefreshAsync(snapshot, unknownKey: false, cancellationToken);
        }
        if (snapshot.Keys.TryGetValue(keyId, out var key))
        {
            return key;
        }
        if (_time.GetUtcNow() - _lastUnknownKeyFetch < RefetchInterval)
        {
            return null;
        }
        snapshot = await RefreshAsync(snapshot, unknownKey: true, cancellationToken);
        return snapshot.Keys.GetValueOrDefault(keyId);
    }

    /// <summary>One fetch at a time; callers arriving meanwhile share it, and each stops waiting on its own cancellation.</summary>
    private async Task<Snapshot> RefreshAsync(Snapshot? seen, bool unknownKey, CancellationToken cancellationToken)
    {
        Task<Snapshot> refresh;
        lock (_gate)
        {
            if (_current is { } newer && !ReferenceEquals(newer, seen))
            {
                return newer;
            }
            if (_refresh is { } running)
            {
                refresh = running;
            }
            else
            {
                if (unknownKey)
                {
                    if (_time.GetUtcNow() - _lastUnknownKeyFetch < RefetchInterval)
                    {
                        return seen!;
                    }
                    _lastUnknownKeyFetch = _time.GetUtcNow();
                }
                refresh = _refresh = FetchOrKeepAsync(seen);
            }
        }
        return await refresh.WaitAsync(cancellationToken);
    }

    private async Task<Snapshot> FetchOrKeepAsync(Snapshot? seen)
    {
        await Task.Yield();
        try
        {
            _current = await FetchAsync();
            _firstFetchFailure = null;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException or FormatException)
        {
            if (seen is null)
            {
                var error = new GatewayError(503, "server_error", "supabase_keys_unavailable", null,
                    $"The Supabase signing keys could not be read from {_jwksUri} ({ex.GetType().Name}: {ex.Message}); the gateway tries again in {FailureCooldown.TotalSeconds:0} s.",
                    ErrorKinds.ConfigError)
                {
                    RetryAfter = ((int)FailureCooldown.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
                };
                _firstFetchFailure = new FirstFetchFailure(error, _time.GetUtcNow() + FailureCooldown);
                throw new GatewayException(error, ex);
            }
            _current = seen with { FreshUntil = _time.GetUtcNow() + RefetchInterval };
        }
        finally
        {
            lock (_gate)
            {
                _refresh = null;
            }
        }
        return _current;
    }

    private async Task<Snapshot> FetchAsync()
    {
        using var timeout = new CancellationTokenSource(FetchTimeout);
        using var response = await _http.GetAsync(_jwksUri, timeout.Token);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"The JWKS answered {(int)response.StatusCode}.");
        }
        var body = await response.Content.ReadAsByteArrayAsync(timeout.Token);
        var keys = JsonWebKeySetReader.Read(body);
        return new Snapshot(keys, _time.GetUtcNow() + Lifetime(response.Headers.CacheControl));
    }

    private static TimeSpan Lifetime(CacheControlHeaderValue? cacheControl) => cacheControl switch
    {
        { NoStore: true } or { NoCache: true } => RefetchInterval,
        { MaxAge: { } maxAge } => maxAge < RefetchInterval ? RefetchInterval : maxAge > TimeSpan.FromDays(1) ? TimeSpan.FromDays(1) : maxAge,
        _ => DefaultLifetime,
    };

    private sealed record FirstFetchFailure(GatewayError Error, DateTimeOffset Until);

    private sealed record Snapshot(IReadOnlyDictionary<string, SigningKey> Keys, DateTimeOffset FreshUntil);
}
