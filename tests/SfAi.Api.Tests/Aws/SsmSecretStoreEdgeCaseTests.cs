using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using Microsoft.Extensions.Time.Testing;
using SfAi.Api.Secrets;
using SfAi.Api.Tests.Support;
using SfAi.Core.Errors;
using SfAi.Core.ModelMap;
using SfAi.Core.Secrets;

namespace SfAi.Api.Tests.Aws;

/// <summary>
/// <see cref="SsmSecretStore"/> with the real SSM client against the local fake: the cases the Secrets tests leave open
/// (empty values, environment-only references, a secret created late, refused connections, what a failure lets out).
/// </summary>
public sealed class SsmSecretStoreEdgeCaseTests : IAsyncLifetime
{
    private const string SecretId = "/sfai/prod/OPENAI_API_KEY";
    private const string Parameter = "/aws/reference/secretsmanager/sfai/prod/OPENAI_API_KEY";
    private static readonly SecretReference Reference = new(null, SecretId);
    private readonly FakeTimeProvider _time = new();
    private FakeSsm _ssm = null!;
    private AmazonSimpleSystemsManagementClient _client = null!;

    public async ValueTask InitializeAsync()
    {
        _ssm = await FakeSsm.StartAsync();
        _client = Client(_ssm.Endpoint);
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _ssm.DisposeAsync();
    }

    private static AmazonSimpleSystemsManagementClient Client(Uri endpoint) => new(new BasicAWSCredentials("local", "local"),
        new AmazonSimpleSystemsManagementConfig { ServiceURL = endpoint.AbsoluteUri, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });

    private SsmSecretStore Store(IAmazonSimpleSystemsManagement ssm, Func<string, string?>? environment = null) =>
        new(ssm, new EnvironmentSecretStore(environment ?? (_ => null)), _time, TimeSpan.FromMinutes(5));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task Returns_nothing_for_a_secret_whose_value_is_empty(string value)
    {
        _ssm.Parameters[Parameter] = value;

        Assert.Null(await Store(_client).GetAsync(Reference, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Reads_an_environment_only_reference_from_the_environment_without_calling_SSM()
    {
        var store = Store(_client, name => name == "OPENAI_API_KEY" ? "sk-local" : null);

        var value = await store.GetAsync(new SecretReference("OPENAI_API_KEY", null), TestContext.Current.CancellationToken);

        Assert.Equal("sk-local", value);
        Assert.Empty(_ssm.Calls);
    }

    [Fact]
    public async Task Reads_SSM_when_the_environment_variable_named_beside_the_secret_is_unset()
    {
        _ssm.Parameters[Parameter] = "sk-from-secrets-manager";

        var value = await Store(_client).GetAsync(new SecretReference("OPENAI_API_KEY", SecretId), TestContext.Current.CancellationToken);

        Assert.Equal("sk-from-secrets-manager", value);
        Assert.Single(_ssm.Calls);
    }

    [Fact]
    public async Task Answers_a_secret_that_does_not_exist_with_nothing_until_the_TTL_has_passed()
    {
        var store = Store(_client);
        Assert.Null(await store.GetAsync(Reference, TestContext.Current.CancellationToken));
        _ssm.Parameters[Parameter] = "sk-created-later";
        _time.Advance(TimeSpan.FromMinutes(4));
        Assert.Null(await store.GetAsync(Reference, TestContext.Current.CancellationToken));
        _time.Advance(TimeSpan.FromMinutes(2));

        Assert.Equal("sk-created-later", await store.GetAsync(Reference, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Fails_with_503_naming_the_secret_when_SSM_refuses_the_connection()
    {
        using var refused = Client(ClosedPort.Endpoint());

        var error = await Assert.ThrowsAsync<GatewayException>(() => Store(refused).GetAsync(Reference, TestContext.Current.CancellationToken).AsTask());

        Assert.Equal(503, error.Error.Status);
        Assert.Equal("secret_unavailable", error.Error.Code);
        Assert.Contains(SecretId, error.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keeps_the_value_out_of_the_whole_exception_chain_when_SSM_fails()
    {
        _ssm.Parameters[Parameter] = "sk-never-shown";
        _ssm.Down = true;

        var error = await Assert.ThrowsAsync<GatewayException>(() => Store(_client).GetAsync(Reference, TestContext.Current.CancellationToken).AsTask());

        Assert.DoesNotContain("sk-never-shown", error.ToString(), StringComparison.Ordinal);
    }
}
