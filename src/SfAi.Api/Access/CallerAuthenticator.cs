using System.Security.Cryptography;
using System.Text;
using SfAi.Core.Access;
using SfAi.Core.Access.Supabase;
using SfAi.Core.Configuration;
using SfAi.Core.Errors;

namespace SfAi.Api.Access;

/// <summary>
/// Who is calling: a Supabase session when <c>SUPABASE_URL</c> is set and the bearer is a JWT (its <c>apikey</c>
/// header then only has to match the project's anon key, and is never taken for a gateway key); the project's anon
/// key (<c>SUPABASE_ANON_KEY</c>) as the only credential, in <c>apikey</c> or as the bearer, is the anonymous caller;
/// anything else is a gateway key (or none).
/// </summary>
internal sealed class CallerAuthenticator
{
    private readonly ReloadableConfig<ApiKeySet> _keys;
    private readonly SupabaseProject? _project;
    private readonly SessionTokenValidator? _sessions;
    private readonly TimeProvider _time;

    public CallerAuthenticator(ReloadableConfig<ApiKeySet> keys, SupabaseProject? project, SessionTokenValidator? sessions, TimeProvider time)
    {
        _keys = keys;
        _project = project;
        _sessions = sessions;
        _time = time;
    }

    /// <exception cref="GatewayException">401 for a refused key or token; 503 when the Supabase signing keys cannot be read.</exception>
    public async ValueTask<AccessGrant> AuthenticateAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var keys = _keys.Current;
        if (_project is null || _sessions is null)
        {
            return ApiKeyVerifier.Authenticate(keys, PresentedKey.From(request), _time.GetUtcNow());
        }
        var bearer = PresentedKey.Bearer(request);
        var apiKey = PresentedKey.ApiKeyHeader(request);
        if (bearer is not null && SessionToken.TryParse(bearer) is { } token)
        {
            if (apiKey is not null && _project.AnonKey is { } anonKey && !SameSecret(apiKey, anonKey))
            {
                throw SessionErrors.Refused("the 'apikey' header is not this project's anon key");
            }
            var session = await _sessions.ValidateAsync(token, cancellationToken);
            return SessionGrants.For(session, keys);
        }
        if (_project.AnonKey is { } anon && (bearer ?? apiKey) is not null
            && (bearer is null || SameSecret(bearer, anon)) && (apiKey is null || SameSecret(apiKey, anon))
            && request.Headers["x-api-key"].Count == 0)
        {
            return ApiKeyVerifier.Authenticate(keys, null, _time.GetUtcNow());
        }
        return ApiKeyVerifier.Authenticate(keys, PresentedKey.From(request), _time.GetUtcNow());
    }

    private static bool SameSecret(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
