using System.Net;
using SfAi.Api.Tests.Support;

namespace SfAi.Api.Tests.Access.Supabase;

/// <summary>On AWS the legacy JWT secret is the secret <c>/sfai/&lt;env&gt;/SUPABASE_JWT_SECRET</c>, read through SSM only for HS256 tokens.</summary>
public sealed class SupabaseSecretTests : IAsyncLifetime
{
    private const string Parameter = "/aws/reference/secretsmanager/sfai/prod/SUPABASE_JWT_SECRET";
    private FakeSsm _ssm = null!;
    private SupabaseGateway _gateway = null!;

    public async ValueTask InitializeAsync()
    {
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "local");
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "local");
        Environment.SetEnvironmentVariable("AWS_REGION", "us-east-1");
        _ssm = await FakeSsm.StartAsync();
        _gateway = await SupabaseGateway.StartAsync(null,
            "--SUPABASE_JWT_SECRET=", "--SECRETS_STORE=ssm", $"--AWS_ENDPOINT_URL_SSM={_ssm.Endpoint.AbsoluteUri}");
    }

    public async ValueTask DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _ssm.DisposeAsync();
    }

    [Fact]
    public async Task Verifies_HS256_tokens_with_the_secret_from_Secrets_Manager()
    {
        _ssm.Parameters[Parameter] = FakeSupabase.LegacySecret;
        var token = _gateway.Project.Mint(_gateway.Project.UserClaims("user-1", _gateway.Time.GetUtcNow()), "HS256", keyId: null);

        var response = await _gateway.CallAsync("echo", token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([Parameter], _ssm.Calls.Select(call => call.Name));
    }

    [Fact]
    public async Task Refuses_HS256_while_the_secret_is_empty_and_never_asks_SSM_for_JWKS_tokens()
    {
        var legacy = _gateway.Project.Mint(_gateway.Project.UserClaims("user-1", _gateway.Time.GetUtcNow()), "HS256", keyId: null);

        var modern = await _gateway.CallAsync("echo", _gateway.UserToken("user-1"));
        Assert.Empty(_ssm.Calls);
        var refused = await _gateway.CallAsync("echo", legacy);

        Assert.Equal(HttpStatusCode.OK, modern.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("alg 'HS256' is not accepted", (await Post.ErrorAsync(refused)).GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
