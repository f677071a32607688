using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using Microsoft.Extensions.Time.Testing;
using SfAi.Api.Secrets;
using SfAi.Api.Tests.Support;
using SfAi.Core.Errors;
using SfAi.Core.ModelMap;
using SfAi.Core.Secrets;

namespace SfAi.Api.Tests.Secrets;

/// <summary>Provider keys from Secrets Manager through SSM, by the real SSM client against a local fake, with a fake clock.</summary>
public sealed class SsmSecretStoreTests : IAsyncLifetime
{
    private const string SecretId = "/sfai/prod/OPENAI_API_KEY";
    private const string Parameter = "/aws/reference/secretsmanager/sfai/prod/OPENAI_API_KEY";
    private static readonly SecretReference Reference = new(null, SecretId);
    private readonly FakeTimeProvider _time = new();
    private FakeSsm _ssm = null!;
    private AmazonSimpleSystemsManagementClient _client = null!;
    private SsmSecretStore _store = null!;

    public async ValueTask InitializeAsync()
    {
        _ssm = await FakeSsm.StartAsync();
        _client = new AmazonSimpleSystemsManagementClient(new BasicAWSCredentials("local", "local"),
            new AmazonSimpleSystemsManagementConfig { ServiceURL = _ssm.Endpoint.AbsoluteUri, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });
        _store = new SsmSecretStore(_client, new EnvironmentSecretStore(_ => null), _time, TimeSpan.FromMinutes(5));
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _ssm.DisposeAsync();
    }

    private ValueTask<string?> GetAsync() => _store.GetAsync(Reference, TestContext.Current.CancellationToken);

    [Fact]
    public async Task Reads_the_secret_through_its_SSM_reference_with_decryption()
    {
        _ssm.Parameters[Parameter] = "sk-from-secrets-manager";

        Assert.Equal("sk-from-secrets-manager", await GetAsync());
        Assert.Equal((Parameter, true), Assert.Single(_ssm.Calls));
    }

    [Fact]
    public async Task Serves_the_cached_value_within_the_TTL()
    {
        _ssm.Parameters[Parameter] = "sk-1";
        await GetAsync();
        _time.Advance(TimeSpan.FromMinutes(4));

        await GetAsync();

        Assert.Single(_ssm.Calls);
    }

    [Fact]
    public async Task Picks_up_a_rotated_secret_after_the_TTL()
    {
        _ssm.Parameters[Parameter] = "sk-old";
        await GetAsync();
        _ssm.Parameters[Parameter] = "sk-new";
        _time.Advance(TimeSpan.FromMinutes(6));

        Assert.Equal("sk-new", await GetAsync());
    }

    [Fact]
    public async Task Returns_nothing_for_a_secret_that_does_not_exist()
    {
        Assert.Null(await GetAsync());
    }

    [Fact]
    public async Task Keeps_serving_a_value_already_read_through_an_SSM_outage()
    {
        _ssm.Parameters[Parameter] = "sk-1";
        await GetAsync();
        _ssm.Down = true;
        _time.Advance(TimeSpan.FromMinutes(6));

        Assert.Equal("sk-1", await GetAsync());
    }

    [Fact]
    public async Task Asks_SSM_again_only_after_a_short_pause_through_an_outage()
    {
        _ssm.Parameters[Parameter] = "sk-1";
        await GetAsync();
        _ssm.Down = true;
        _time.Advance(TimeSpan.FromMinutes(6));
        await GetAsync();

        await GetAsync();
        _time.Advance(SsmSecretStore.StaleRetry + TimeSpan.FromSeconds(1));
        await GetAsync();

        Assert.Equal(3, _ssm.Calls.Count);
    }

    [Fact]
    public async Task Fails_with_503_naming_the_secret_and_never_its_value_when_SSM_is_down_from_the_start()
    {
        _ssm.Parameters[Parameter] = "sk-never-shown";
        _ssm.Down = true;

        var error = await Assert.ThrowsAsync<GatewayException>(() => GetAsync().AsTask());

        Assert.Equal(503, error.Error.Status);
        Assert.Contains(SecretId, error.Error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-never-shown", error.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Shares_one_SSM_call_among_concurrent_first_readers()
    {
        _ssm.Parameters[Parameter] = "sk-1";
        _ssm.Delay = TimeSpan.FromMilliseconds(200);

        var values = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => GetAsync().AsTask()));

        Assert.All(values, value => Assert.Equal("sk-1", value));
        Assert.Single(_ssm.Calls);
    }

    [Fact]
    public async Task Prefers_an_environment_variable_named_in_the_model_map()
    {
        var store = new SsmSecretStore(_client, new EnvironmentSecretStore(name => name == "OPENAI_API_KEY" ? "sk-local" : null), _time, TimeSpan.FromMinutes(5));

        var value = await store.GetAsync(new SecretReference("OPENAI_API_KEY", SecretId), TestContext.Current.CancellationToken);

        Assert.Equal("sk-local", value);
        Assert.Empty(_ssm.Calls);
    }

    [Theory]
    [InlineData("/sfai/prod/OPENAI_API_KEY", "/aws/reference/secretsmanager/sfai/prod/OPENAI_API_KEY")]
    [InlineData("sfai-prod-openai", "/aws/reference/secretsmanager/sfai-prod-openai")]
    public void Names_the_SSM_reference_of_a_secret(string secretId, string parameter) =>
        Assert.Equal(parameter, SsmSecretStore.ParameterName(secretId));

    [Fact]
    public async Task Concurrent_first_reads_share_one_SSM_call_even_when_one_caller_gives_up()
    {
        _ssm.Parameters[Parameter] = "sk-from-ssm";
        _ssm.Delay = TimeSpan.FromMilliseconds(300);
        using var impatient = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        var first = _store.GetAsync(Reference, impatient.Token).AsTask();
        var others = Enumerable.Range(0, 9).Select(_ => GetAsync().AsTask()).ToList();
        await impatient.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        others.AddRange(Enumerable.Range(0, 5).Select(_ => GetAsync().AsTask()));
        Assert.All(await Task.WhenAll(others), value => Assert.Equal("sk-from-ssm", value));
        Assert.Single(_ssm.Calls);
    }
}
