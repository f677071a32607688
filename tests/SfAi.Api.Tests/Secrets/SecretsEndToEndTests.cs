using System.Net;
using SfAi.Api.Tests.Support;

namespace SfAi.Api.Tests.Secrets;

/// <summary>The gateway on "AWS": the provider key comes from Secrets Manager through SSM, or its absence is a clear 503.</summary>
public sealed class SecretsEndToEndTests : IAsyncLifetime
{
    private const string Map = """
        {
          "providers": {
            "openai": { "type": "openai", "baseUrl": "UPSTREAM", "apiKey": { "env": "SFAI_TEST_UNSET_KEY", "secretId": "/sfai/prod/OPENAI_API_KEY" } },
            "echo": { "type": "echo" }
          },
          "aliases": { "frontend": { "provider": "openai", "model": "gpt-4o-mini" }, "echo": { "provider": "echo", "model": "echo-1" } }
        }
        """;

    private FakeSsm _ssm = null!;
    private FakeUpstream _upstream = null!;

    public async ValueTask InitializeAsync()
    {
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "local");
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "local");
        Environment.SetEnvironmentVariable("AWS_REGION", "us-east-1");
        _ssm = await FakeSsm.StartAsync();
        _upstream = await FakeUpstream.StartAsync(Replay.Json(Replay.Fixture("openai/chat-completion.json")));
    }

    public async ValueTask DisposeAsync()
    {
        await _upstream.DisposeAsync();
        await _ssm.DisposeAsync();
    }

    private Task<TestGateway> GatewayAsync() => TestGateway.StartAsync(Map.Replace("UPSTREAM", _upstream.V1, StringComparison.Ordinal),
        "--SECRETS_STORE=ssm", $"--AWS_ENDPOINT_URL_SSM={_ssm.Endpoint.AbsoluteUri}");

    [Fact]
    public async Task Calls_the_provider_with_the_key_from_Secrets_Manager()
    {
        _ssm.Parameters["/aws/reference/secretsmanager/sfai/prod/OPENAI_API_KEY"] = "sk-from-the-secret";
        await using var gateway = await GatewayAsync();

        var response = await Post.JsonAsync(gateway.Http, Post.Hello);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Bearer sk-from-the-secret", _upstream.LastRequest.Headers["Authorization"]);
    }

    [Fact]
    public async Task Answers_503_naming_a_missing_secret_and_keeps_other_aliases_working()
    {
        await using var gateway = await GatewayAsync();

        var failing = await Post.JsonAsync(gateway.Http, Post.Hello);
        var other = await Post.JsonAsync(gateway.Http, """{"model":"echo","messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failing.StatusCode);
        Assert.Contains("/sfai/prod/OPENAI_API_KEY", (await Post.ErrorAsync(failing)).GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Empty(_upstream.Requests);
    }
}
