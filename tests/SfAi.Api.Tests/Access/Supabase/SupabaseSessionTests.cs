using System.ClientModel;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using OpenAI;
using OpenAI.Chat;
using SfAi.Api.Tests.Support;

namespace SfAi.Api.Tests.Access.Supabase;

/// <summary>Apps whose users sign in with Supabase call the gateway with the user's access token, as they are.</summary>
public sealed class SupabaseSessionTests : IAsyncLifetime
{
    private SupabaseGateway _gateway = null!;

    private FakeSupabase Project => _gateway.Project;

    public async ValueTask InitializeAsync() => _gateway = await SupabaseGateway.StartAsync();

    public async ValueTask DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task Serves_a_user_session_and_logs_who_the_user_is()
    {
        var response = await _gateway.CallAsync("echo", _gateway.UserToken("user-1", "ada@example.com"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var completion = (await _gateway.Gateway.Logs.WaitForAsync("chat_completion")).Single();
        Assert.Equal("supabase", completion.GetProperty("keyName").GetString());
        Assert.Equal("user-1", completion.GetProperty("userId").GetString());
        Assert.Equal("ada@example.com", completion.GetProperty("userEmail").GetString());
    }

    [Theory]
    [InlineData("RS256")]
    [InlineData("HS256")]
    public async Task Serves_sessions_signed_with_RS256_and_the_legacy_HS256_secret(string algorithm)
    {
        var token = Project.Mint(Project.UserClaims("user-1", _gateway.Time.GetUtcNow()), algorithm,
            algorithm == "RS256" ? FakeSupabase.RsaKeyId : null);

        var response = await _gateway.CallAsync("echo", token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("expired", "expired at")]
    [InlineData("not yet valid", "not valid before")]
    [InlineData("wrong issuer", "wrong issuer")]
    [InlineData("wrong audience", "wrong audience")]
    [InlineData("service role", "not a user session")]
    [InlineData("alg none", "alg 'none' is not accepted")]
    [InlineData("HS256 with the public key", "bad signature")]
    [InlineData("tampered payload", "bad signature")]
    [InlineData("signed by another key", "bad signature")]
    [InlineData("unknown key id", "unknown key id 'ec-unknown'")]
    [InlineData("alg swapped for the key", "does not match key")]
    public async Task Refuses_a_bad_token_with_401_naming_the_check_without_echoing_it(string flaw, string check)
    {
        var now = _gateway.Time.GetUtcNow();
        var claims = Project.UserClaims("user-1", now);
        var token = flaw switch
        {
            "expired" => Project.Mint(With(claims, "exp", now.AddSeconds(-31).ToUnixTimeSeconds())),
            "not yet valid" => Project.Mint(With(claims, "nbf", now.AddMinutes(5).ToUnixTimeSeconds())),
            "wrong issuer" => Project.Mint(With(claims, "iss", "https://other.supabase.co/auth/v1")),
            "wrong audience" => Project.Mint(With(claims, "aud", "someone-else")),
            "service role" => Project.Mint(With(claims, "role", "service_role")),
            "alg none" => Project.Mint(claims, "none"),
            "HS256 with the public key" => Project.Mint(claims, "HS256", FakeSupabase.EcKeyId,
                hmacKey: Encoding.UTF8.GetBytes(Project.EcKey.ExportSubjectPublicKeyInfoPem())),
            "tampered payload" => Tamper(Project.Mint(claims)),
            "signed by another key" => Project.Mint(claims, ecKey: ECDsa.Create(ECCurve.NamedCurves.nistP256)),
            "unknown key id" => Project.Mint(claims, keyId: "ec-unknown"),
            "alg swapped for the key" => Project.Mint(claims, "ES256", FakeSupabase.RsaKeyId),
            _ => throw new ArgumentOutOfRangeException(nameof(flaw)),
        };

        var response = await _gateway.CallAsync("echo", token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var error = await Post.ErrorAsync(response);
        Assert.Equal("invalid_api_key", error.GetProperty("code").GetString());
        var message = error.GetProperty("message").GetString()!;
        Assert.Contains(check, message, StringComparison.Ordinal);
        Assert.DoesNotContain(token.Split('.')[1], message, StringComparison.Ordinal);
        var logged = (await _gateway.Gateway.Logs.WaitForAsync("llm_error")).Single();
        Assert.Equal("supabase", logged.GetProperty("keyName").GetString());
    }

    [Fact]
    public async Task Takes_the_anon_role_for_the_anonymous_caller_and_keeps_it_to_the_anonymous_aliases()
    {
        var anon = Project.Mint(new JsonObject
        {
            ["iss"] = "supabase",
            ["role"] = "anon",
            ["iat"] = _gateway.Time.GetUtcNow().ToUnixTimeSeconds(),
            ["exp"] = _gateway.Time.GetUtcNow().AddYears(10).ToUnixTimeSeconds(),
        }, "HS256", keyId: null);

        var open = await _gateway.CallAsync("echo", anon);
        var closed = await _gateway.CallAsync("private", anon);

        Assert.Equal(HttpStatusCode.OK, open.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, closed.StatusCode);
        Assert.Equal("model_not_allowed", (await Post.ErrorAsync(closed)).GetProperty("code").GetString());
        Assert.Equal("anonymous", (await _gateway.Gateway.Logs.WaitForAsync("chat_completion")).Single().GetProperty("keyName").GetString());
    }

    [Fact]
    public async Task Refuses_HS256_when_no_legacy_secret_is_configured()
    {
        await using var gateway = await SupabaseGateway.StartAsync(null, "--SUPABASE_JWT_SECRET=");
        var token = gateway.Project.Mint(gateway.Project.UserClaims("user-1", gateway.Time.GetUtcNow()), "HS256", FakeSupabase.EcKeyId,
            hmacKey: Encoding.UTF8.GetBytes(gateway.Project.EcKey.ExportSubjectPublicKeyInfoPem()));

        var response = await gateway.CallAsync("echo", token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("alg 'HS256' is not accepted", (await Post.ErrorAsync(response)).GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refetches_the_JWKS_once_for_an_unknown_key_id_and_accepts_the_rotated_key()
    {
        Assert.Equal(HttpStatusCode.OK, (await _gateway.CallAsync("echo", _gateway.UserToken("user-1"))).StatusCode);
        Assert.Equal(1, Project.JwksRequests);
        using var rotated = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Project.Publish("ec-2", rotated);
        var claims = Project.UserClaims("user-1", _gateway.Time.GetUtcNow());

        var afterRotation = await _gateway.CallAsync("echo", Project.Mint(claims, keyId: "ec-2", ecKey: rotated));
        Assert.Equal(HttpStatusCode.OK, afterRotation.StatusCode);
        Assert.Equal(2, Project.JwksRequests);

        var unknown = Project.Mint(claims, keyId: "ec-3");
        Assert.Equal(HttpStatusCode.Unauthorized, (await _gateway.CallAsync("echo", unknown)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _gateway.CallAsync("echo", unknown)).StatusCode);
        Assert.Equal(2, Project.JwksRequests);

        _gateway.Time.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(HttpStatusCode.Unauthorized, (await _gateway.CallAsync("echo", Project.Mint(Project.UserClaims("user-1", _gateway.Time.GetUtcNow()), keyId: "ec-3"))).StatusCode);
        Assert.Equal(3, Project.JwksRequests);
    }

    [Fact]
    public async Task Keeps_verifying_with_the_cached_keys_through_a_JWKS_outage()
    {
        Assert.Equal(HttpStatusCode.OK, (await _gateway.CallAsync("echo", _gateway.UserToken("user-1"))).StatusCode);
        await Project.StopAsync();

        var withinCache = await _gateway.CallAsync("echo", _gateway.UserToken("user-2"));
        _gateway.Time.Advance(TimeSpan.FromMinutes(11));
        var pastCacheLifetime = await _gateway.CallAsync("echo", _gateway.UserToken("user-3"));

        Assert.Equal(HttpStatusCode.OK, withinCache.StatusCode);
        Assert.Equal(HttpStatusCode.OK, pastCacheLifetime.StatusCode);
        Assert.Equal(1, Project.JwksRequests);
    }

    [Fact]
    public async Task A_JWKS_down_at_start_refuses_sessions_quickly_and_is_tried_again_after_the_cooldown()
    {
        await using var gateway = await SupabaseGateway.StartAsync();
        gateway.Project.JwksDown = true;

        var first = await gateway.CallAsync("echo", gateway.UserToken("user-1"));
        var second = await gateway.CallAsync("echo", gateway.UserToken("user-1"));

        Assert.Equal((HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable), (first.StatusCode, second.StatusCode));
        Assert.Equal("supabase_keys_unavailable", (await Post.ErrorAsync(second)).GetProperty("code").GetString());
        Assert.Equal(TimeSpan.FromSeconds(10), second.Headers.RetryAfter?.Delta);
        Assert.Equal(1, gateway.Project.JwksRequests);

        gateway.Project.JwksDown = false;
        gateway.Time.Advance(SigningKeyCacheCooldown);
        var recovered = await gateway.CallAsync("echo", gateway.UserToken("user-1"));

        Assert.Equal(HttpStatusCode.OK, recovered.StatusCode);
        Assert.Equal(2, gateway.Project.JwksRequests);
    }

    private static readonly TimeSpan SigningKeyCacheCooldown = SfAi.Core.Access.Supabase.SigningKeyCache.FailureCooldown;

    [Fact]
    public async Task Keeps_gateway_keys_working_beside_sessions()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent("""{"model":"private","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new("Bearer", KeysFiles.AliceKey);

        var response = await _gateway.Gateway.Http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("alice", (await _gateway.Gateway.Logs.WaitForAsync("chat_completion")).Single().GetProperty("keyName").GetString());
    }

    [Fact]
    public async Task Never_takes_the_apikey_header_for_a_gateway_key_beside_a_token()
    {
        var expired = Project.Mint(With(Project.UserClaims("user-1", _gateway.Time.GetUtcNow()), "exp", _gateway.Time.GetUtcNow().AddHours(-1).ToUnixTimeSeconds()));

        var withGatewayKey = await _gateway.CallAsync("private", expired, apiKey: KeysFiles.AliceKey);

        Assert.Equal(HttpStatusCode.Unauthorized, withGatewayKey.StatusCode);
    }

    [Fact]
    public async Task Refuses_an_apikey_header_other_than_the_projects_anon_key()
    {
        var response = await _gateway.CallAsync("echo", _gateway.UserToken("user-1"), apiKey: "sb_publishable_some_other_project");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("'apikey' header", (await Post.ErrorAsync(response)).GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Takes_the_anon_key_alone_for_the_anonymous_caller(bool asBearerToo)
    {
        var open = await _gateway.CallAsync("echo", asBearerToo ? FakeSupabase.AnonKey : null, apiKey: FakeSupabase.AnonKey);
        var closed = await _gateway.CallAsync("private", asBearerToo ? FakeSupabase.AnonKey : null, apiKey: FakeSupabase.AnonKey);

        Assert.Equal(HttpStatusCode.OK, open.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, closed.StatusCode);
        Assert.Equal("anonymous", (await _gateway.Gateway.Logs.WaitForAsync("chat_completion")).Single().GetProperty("keyName").GetString());
    }

    [Fact]
    public async Task Lets_the_OpenAI_SDK_call_with_the_session_as_its_api_key()
    {
        var client = new ChatClient("echo", new ApiKeyCredential(_gateway.UserToken("user-sdk")), new OpenAIClientOptions { Endpoint = _gateway.Gateway.V1 });

        ChatCompletion completion = await client.CompleteChatAsync([new UserChatMessage("ping")], cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("You said: ping", completion.Content[0].Text);
        Assert.Equal("user-sdk", (await _gateway.Gateway.Logs.WaitForAsync("chat_completion")).Single().GetProperty("userId").GetString());
    }

    [Fact]
    public async Task Logs_the_user_on_a_refused_alias_and_never_logs_a_token()
    {
        var valid = _gateway.UserToken("user-1", "ada@example.com");
        var expired = Project.Mint(With(Project.UserClaims("user-2", _gateway.Time.GetUtcNow()), "exp", 1));

        var forbidden = await _gateway.CallAsync("private", valid);
        await _gateway.CallAsync("echo", valid);
        await _gateway.CallAsync("echo", expired);

        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        var errors = await _gateway.Gateway.Logs.WaitForAsync("llm_error", 2);
        var refusedAlias = errors.Single(e => e.GetProperty("status").GetInt32() == 403);
        Assert.Equal("user-1", refusedAlias.GetProperty("userId").GetString());
        Assert.Equal("ada@example.com", refusedAlias.GetProperty("userEmail").GetString());
        await _gateway.Gateway.Logs.WaitForAsync("chat_completion");
        foreach (var line in _gateway.Gateway.Logs.Lines)
        {
            foreach (var token in new[] { valid, expired })
            {
                Assert.DoesNotContain(token.Split('.')[1], line, StringComparison.Ordinal);
                Assert.DoesNotContain(token.Split('.')[2], line, StringComparison.Ordinal);
            }
        }
    }

    [Theory]
    [InlineData("hash")]
    [InlineData("off")]
    public async Task Hashes_or_drops_the_users_email_as_LOG_USER_TEXT_says(string setting)
    {
        await using var gateway = await SupabaseGateway.StartAsync(null, $"--LOG_USER_TEXT={setting}");

        await gateway.CallAsync("echo", gateway.UserToken("user-1", "ada@example.com"));

        var completion = (await gateway.Gateway.Logs.WaitForAsync("chat_completion")).Single();
        Assert.Equal("user-1", completion.GetProperty("userId").GetString());
        if (setting == "hash")
        {
            Assert.StartsWith("sha256:", completion.GetProperty("userEmail").GetString(), StringComparison.Ordinal);
        }
        else
        {
            Assert.False(completion.TryGetProperty("userEmail", out _));
        }
        Assert.DoesNotContain(gateway.Gateway.Logs.Lines, line => line.Contains("ada@example.com", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Allows_the_Supabase_headers_in_a_preflight()
    {
        await using var gateway = await SupabaseGateway.StartAsync(null, "--ALLOW_ORIGINS=https://app.example.com");
        using var request = new HttpRequestMessage(HttpMethod.Options, "/v1/chat/completions");
        request.Headers.Add("Origin", "https://app.example.com");
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization,apikey,x-client-info,content-type");

        var response = await gateway.Gateway.Http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var allowed = string.Join(",", response.Headers.GetValues("Access-Control-Allow-Headers")).ToLowerInvariant();
        Assert.Contains("authorization", allowed, StringComparison.Ordinal);
        Assert.Contains("apikey", allowed, StringComparison.Ordinal);
        Assert.Contains("x-client-info", allowed, StringComparison.Ordinal);
    }

    private static JsonObject With(JsonObject claims, string name, JsonNode? value)
    {
        var copy = claims.DeepClone().AsObject();
        copy[name] = value;
        return copy;
    }

    private static string Tamper(string token)
    {
        var parts = token.Split('.');
        var payload = JsonNode.Parse(Convert.FromBase64String(Pad(parts[1].Replace('-', '+').Replace('_', '/'))))!.AsObject();
        payload["sub"] = "someone-else";
        return parts[0] + "." + FakeSupabase.B64(Encoding.UTF8.GetBytes(payload.ToJsonString())) + "." + parts[2];
    }

    private static string Pad(string base64) => base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '=');
}
