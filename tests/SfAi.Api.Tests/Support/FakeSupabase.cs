using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace SfAi.Api.Tests.Support;

/// <summary>
/// A Supabase project as the gateway sees it: its JWKS served on 127.0.0.1 (ES256 and RS256 keys made for this run),
/// its legacy JWT secret and anon key, and tokens minted and signed as Supabase Auth signs them.
/// </summary>
public sealed class FakeSupabase : IAsyncDisposable
{
    public const string EcKeyId = "ec-1";
    public const string RsaKeyId = "rsa-1";
    public const string LegacySecret = "test-legacy-jwt-secret-with-at-least-32-characters";
    public const string AnonKey = "sb_publishable_test_anon_0123456789";

    private readonly WebApplication _app;
    private readonly Dictionary<string, JsonObject> _published = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private int _jwksRequests;
    private bool _stopped;

    private FakeSupabase(WebApplication app, Uri url)
    {
        _app = app;
        Url = url.ToString().TrimEnd('/');
    }

    /// <summary>The project URL, as <c>SUPABASE_URL</c> names it.</summary>
    public string Url { get; }

    public string Issuer => Url + "/auth/v1";

    public ECDsa EcKey { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public RSA RsaKey { get; } = RSA.Create(2048);

    public int JwksRequests => Volatile.Read(ref _jwksRequests);

    /// <summary>While set, the JWKS endpoint answers 503 (an Auth outage).</summary>
    public bool JwksDown { get; set; }

    public static async Task<FakeSupabase> StartAsync()
    {
        var app = LoopbackApp.Create();
        FakeSupabase? fake = null;
        app.MapGet("/auth/v1/.well-known/jwks.json", (HttpContext context) =>
        {
            Interlocked.Increment(ref fake!._jwksRequests);
            if (fake.JwksDown)
            {
                return Results.StatusCode(503);
            }
            context.Response.Headers.CacheControl = "public, max-age=600";
            return Results.Text(fake.Jwks(), "application/json");
        });
        fake = new FakeSupabase(app, await LoopbackApp.StartAsync(app));
        fake.Publish(EcKeyId, fake.EcKey);
        fake.Publish(RsaKeyId, fake.RsaKey);
        return fake;
    }

    /// <summary>Adds a key to the JWKS (a rotation).</summary>
    public void Publish(string keyId, AsymmetricAlgorithm key)
    {
        JsonObject jwk = key switch
        {
            ECDsa ec => ec.ExportParameters(false) is var p
                ? new JsonObject { ["kty"] = "EC", ["crv"] = "P-256", ["alg"] = "ES256", ["use"] = "sig", ["kid"] = keyId, ["x"] = B64(p.Q.X!), ["y"] = B64(p.Q.Y!) }
                : throw new InvalidOperationException(),
            RSA rsa => rsa.ExportParameters(false) is var p
                ? new JsonObject { ["kty"] = "RSA", ["alg"] = "RS256", ["use"] = "sig", ["kid"] = keyId, ["n"] = B64(p.Modulus!), ["e"] = B64(p.Exponent!) }
                : throw new InvalidOperationException(),
            _ => throw new ArgumentException("EC or RSA keys only", nameof(key)),
        };
        lock (_gate)
        {
            _published[keyId] = jwk;
        }
    }

    /// <summary>The claims of a signed-in user's access token, valid for an hour from <paramref name="now"/>.</summary>
    public JsonObject UserClaims(string userId, DateTimeOffset now, string? email = null) => new()
    {
        ["iss"] = Issuer,
        ["aud"] = "authenticated",
        ["sub"] = userId,
        ["role"] = "authenticated",
        ["email"] = email,
        ["iat"] = now.ToUnixTimeSeconds(),
        ["exp"] = now.AddHours(1).ToUnixTimeSeconds(),
        ["session_id"] = Guid.NewGuid().ToString(),
    };

    /// <summary>A compact JWS of <paramref name="claims"/>: ES256 with the EC key by default.</summary>
    public string Mint(JsonObject claims, string algorithm = "ES256", string? keyId = EcKeyId, ECDsa? ecKey = null, byte[]? hmacKey = null)
    {
        var header = new JsonObject { ["alg"] = algorithm, ["typ"] = "JWT" };
        if (keyId is not null)
        {
            header["kid"] = keyId;
        }
        var signingInput = B64(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + B64(Encoding.UTF8.GetBytes(claims.ToJsonString()));
        var data = Encoding.ASCII.GetBytes(signingInput);
        byte[] signature = algorithm switch
        {
            "ES256" => (ecKey ?? EcKey).SignData(data, HashAlgorithmName.SHA256),
            "RS256" => RsaKey.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            "HS256" => HMACSHA256.HashData(hmacKey ?? Encoding.UTF8.GetBytes(LegacySecret), data),
            _ => [],
        };
        return signingInput + "." + B64(signature);
    }

    /// <summary>The JWKS stops answering (connection refused), as in an outage.</summary>
    public async Task StopAsync()
    {
        _stopped = true;
        await LoopbackApp.StopAsync(_app);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopped)
        {
            await LoopbackApp.StopAsync(_app);
        }
        EcKey.Dispose();
        RsaKey.Dispose();
    }

    public static string B64(byte[] bytes) => Base64Url.EncodeToString(bytes);

    private string Jwks()
    {
        lock (_gate)
        {
            return new JsonObject { ["keys"] = new JsonArray([.. _published.Values.Select(k => (JsonNode)k.DeepClone())]) }.ToJsonString();
        }
    }
}
