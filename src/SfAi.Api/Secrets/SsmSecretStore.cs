using System.Collections.Concurrent;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using SfAi.Core.Errors;
using SfAi.Core.ModelMap;
using SfAi.Core.Secrets;

namespace SfAi.Api.Secrets;

/// <summary>
/// Provider keys on AWS: Secrets Manager secrets read through SSM <c>GetParameter</c> on
/// <c>/aws/reference/secretsmanager/&lt;secret id&gt;</c> with decryption, each cached for a TTL so a rotation is
/// picked up without a deploy. An environment variable named in the model map, when set, wins (local runs).
/// Concurrent first reads of one secret share one call; through an SSM outage a value already read keeps serving.
/// Values never appear in messages.
/// </summary>
internal sealed class SsmSecretStore : ISecretStore
{
    public const string ReferencePrefix = "/aws/reference/secretsmanager";

    /// <summary>Through an SSM outage, how long a value already read is served before SSM is asked again.</summary>
    public static readonly TimeSpan StaleRetry = TimeSpan.FromSeconds(30);

    private readonly IAmazonSimpleSystemsManagement _ssm;
    private readonly ISecretStore _environment;
    private readonly TimeProvider _time;
    private readonly TimeSpan _ttl;
    private readonly ConcurrentDictionary<string, Cached> _cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task<string?>>> _inFlight = new(StringComparer.Ordinal);

    public SsmSecretStore(IAmazonSimpleSystemsManagement ssm, ISecretStore environment, TimeProvider time, TimeSpan ttl)
    {
        _ssm = ssm;
        _environment = environment;
        _time = time;
        _ttl = ttl;
    }

    public static string ParameterName(string secretId) => ReferencePrefix + (secretId.StartsWith('/') ? secretId : "/" + secretId);

    public async ValueTask<string?> GetAsync(SecretReference reference, CancellationToken cancellationToken)
    {
        if (await _environment.GetAsync(reference, cancellationToken) is { } fromEnvironment)
        {
            return fromEnvironment;
        }
        if (reference.SecretId is not { } secretId)
        {
            return null;
        }
        if (_cache.TryGetValue(secretId, out var cached) && _time.GetUtcNow() - cached.At < _ttl)
        {
            return cached.Value;
        }

        // A caller's cancellation ends only its own wait: the one fetch goes on for the others and leaves the table itself.
        var fetch = _inFlight.GetOrAdd(secretId, id => new Lazy<Task<string?>>(() => FetchSharedAsync(id)));
        return await fetch.Value.WaitAsync(cancellationToken);
    }

    private async Task<string?> FetchSharedAsync(string secretId)
    {
        await Task.Yield();
        try
        {
            return await FetchAsync(secretId);
        }
        finally
        {
            _inFlight.TryRemove(secretId, out _);
        }
    }

    private async Task<string?> FetchAsync(string secretId)
    {
        try
        {
            var response = await _ssm.GetParameterAsync(new GetParameterRequest { Name = ParameterName(secretId), WithDecryption = true });
            var value = string.IsNullOrWhiteSpace(response.Parameter?.Value) ? null : response.Parameter.Value.Trim();
            _cache[secretId] = new Cached(value, _time.GetUtcNow());
            return value;
        }
        catch (ParameterNotFoundException)
        {
            _cache[secretId] = new Cached(null, _time.GetUtcNow());
            return null;
        }
        catch (Exception ex) when (ex is AmazonSimpleSystemsManagementException or HttpRequestException or IOException or TaskCanceledException)
        {
            if (_cache.TryGetValue(secretId, out var stale) && stale.Value is not null)
            {
                var retryIn = _ttl < StaleRetry ? _ttl : StaleRetry;
                _cache[secretId] = stale with { At = _time.GetUtcNow() - _ttl + retryIn };
                return stale.Value;
            }
            throw new GatewayException(new GatewayError(503, "server_error", "secret_unavailable", null,
                $"The secret {secretId} could not be read ({ex.GetType().Name}); the gateway will try again.", ErrorKinds.ConfigError), ex);
        }
    }

    private sealed record Cached(string? Value, DateTimeOffset At);
}
