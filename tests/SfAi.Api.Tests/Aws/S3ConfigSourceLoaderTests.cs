using Amazon.Runtime;
using Amazon.S3;
using Microsoft.Extensions.Time.Testing;
using SfAi.Api.Configuration;
using SfAi.Api.Tests.Support;
using SfAi.Core.Configuration;
using SfAi.Core.ModelMap;

namespace SfAi.Api.Tests.Aws;

/// <summary>
/// <see cref="S3ConfigSource"/> under the model map's own loader (<see cref="ModelMapParser.Loader"/>), refreshed by hand,
/// with the real AmazonS3Client against the local fake: what the loader keeps, and what its status says.
/// </summary>
public sealed class S3ConfigSourceLoaderTests : IAsyncLifetime
{
    private const string Bucket = "sfai-config";
    private const string Key = "config/model_map.json";
    private const string Uri = $"s3://{Bucket}/{Key}";
    private const string EchoOnly = """
        { "providers": { "echo": { "type": "echo" } }, "aliases": { "echo": { "provider": "echo", "model": "echo-1" } } }
        """;
    private const string TwoAliases = """
        {
          "providers": { "echo": { "type": "echo" } },
          "aliases": { "echo": { "provider": "echo", "model": "echo-1" }, "second": { "provider": "echo", "model": "echo-1" } }
        }
        """;

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));
    private FakeS3 _s3 = null!;
    private AmazonS3Client _client = null!;
    private ReloadableConfig<ModelMap> _loader = null!;

    public async ValueTask InitializeAsync()
    {
        _s3 = await FakeS3.StartAsync();
        _client = Client(_s3.Endpoint);
        _loader = ModelMapParser.Loader(new S3ConfigSource(_client, Uri), _time);
    }

    public async ValueTask DisposeAsync()
    {
        _loader.Dispose();
        _client.Dispose();
        await _s3.DisposeAsync();
    }

    private static AmazonS3Client Client(Uri endpoint) => new(new BasicAWSCredentials("local", "local"), new AmazonS3Config
    {
        ServiceURL = endpoint.AbsoluteUri,
        ForcePathStyle = true,
        AuthenticationRegion = "us-east-1",
        MaxErrorRetry = 0,
    });

    private Task<ConfigRefreshResult> RefreshAsync() => _loader.RefreshAsync(TestContext.Current.CancellationToken);

    private async Task LoadAsync(string json)
    {
        _s3.Put($"{Bucket}/{Key}", json);
        await _loader.LoadInitialAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Loads_the_first_map_with_the_S3_URI_as_its_source_and_the_ETag_as_its_version()
    {
        await LoadAsync(TwoAliases);

        Assert.Contains("second", _loader.Current.Aliases.Keys);
        Assert.Equal(Uri, _loader.Status.Source);
        Assert.Matches("^\"[0-9a-f]{32}\"$", _loader.Status.Version);
    }

    [Fact]
    public async Task Asks_with_If_None_Match_on_the_ETag_and_takes_the_304_as_unchanged()
    {
        await LoadAsync(TwoAliases);

        var result = await RefreshAsync();

        Assert.Equal(ConfigRefreshOutcome.Unchanged, result.Outcome);
        Assert.Null(_loader.Status.LastError);
        Assert.Equal([(null, 200), (_loader.Status.Version, 304)], _s3.Gets.ToArray());
    }

    [Fact]
    public async Task Takes_a_new_version_of_the_object()
    {
        await LoadAsync(EchoOnly);
        _s3.Put($"{Bucket}/{Key}", TwoAliases);

        var result = await RefreshAsync();

        Assert.Equal(ConfigRefreshOutcome.Updated, result.Outcome);
        Assert.Contains("second", _loader.Current.Aliases.Keys);
    }

    [Fact]
    public async Task Keeps_the_last_good_map_when_the_new_version_is_invalid_and_says_why()
    {
        await LoadAsync(TwoAliases);
        _s3.Put($"{Bucket}/{Key}", """{"providers":{},"aliases":{}}""");

        var result = await RefreshAsync();

        Assert.Equal(ConfigRefreshOutcome.Rejected, result.Outcome);
        Assert.Contains("second", _loader.Current.Aliases.Keys);
        Assert.Contains("$.aliases: must declare at least one alias", _loader.Status.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keeps_the_last_good_map_when_the_object_is_deleted_and_names_NoSuchKey()
    {
        await LoadAsync(TwoAliases);
        _s3.Delete($"{Bucket}/{Key}");

        var result = await RefreshAsync();

        Assert.Equal(ConfigRefreshOutcome.Unreachable, result.Outcome);
        Assert.Contains("second", _loader.Current.Aliases.Keys);
        Assert.Contains($"{Uri} does not exist (NoSuchKey)", _loader.Status.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keeps_the_last_good_map_when_S3_answers_500()
    {
        await LoadAsync(TwoAliases);
        _s3.Down = true;

        var result = await RefreshAsync();

        Assert.Equal(ConfigRefreshOutcome.Unreachable, result.Outcome);
        Assert.Contains("second", _loader.Current.Aliases.Keys);
        Assert.StartsWith($"cannot read {Uri}: ", _loader.Status.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Clears_the_outage_from_the_status_once_S3_answers_again()
    {
        await LoadAsync(TwoAliases);
        _s3.Down = true;
        await RefreshAsync();
        _s3.Down = false;

        var result = await RefreshAsync();

        Assert.Equal(ConfigRefreshOutcome.Unchanged, result.Outcome);
        Assert.Null(_loader.Status.LastError);
    }

    [Fact]
    public async Task Refuses_to_start_without_a_map_naming_the_S3_URI_and_the_missing_key()
    {
        var error = await Assert.ThrowsAsync<ConfigLoadException>(() => _loader.LoadInitialAsync(TestContext.Current.CancellationToken));

        Assert.Contains($"No model map could be loaded from {Uri}", error.Message, StringComparison.Ordinal);
        Assert.Contains("NoSuchKey", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refuses_to_start_naming_the_S3_URI_when_S3_refuses_the_connection()
    {
        using var client = Client(ClosedPort.Endpoint());
        using var loader = ModelMapParser.Loader(new S3ConfigSource(client, Uri), _time);

        var error = await Assert.ThrowsAsync<ConfigLoadException>(() => loader.LoadInitialAsync(TestContext.Current.CancellationToken));

        Assert.Contains($"No model map could be loaded from {Uri}: cannot read {Uri}", error.Message, StringComparison.Ordinal);
    }
}
