using Microsoft.Extensions.Time.Testing;
using SfAi.Core.Configuration;
using SfAi.Core.ModelMap;
using SfAi.Core.Tests.Support;

namespace SfAi.Core.Tests.ModelMap;

public sealed class ModelMapLoaderTests : IDisposable
{
    private const string OneAlias = """{ "providers": { "echo": { "type": "echo" } }, "aliases": { "one": { "provider": "echo", "model": "echo-1" } } }""";
    private const string TwoAliases = """{ "providers": { "echo": { "type": "echo" } }, "aliases": { "one": { "provider": "echo", "model": "echo-1" }, "two": { "provider": "echo", "model": "echo-1" } } }""";
    private const string Broken = """{ "providers": { "echo": { "type": "echo" } }, "aliases": { "one": { "provider": "nowhere", "model": "echo-1" } } }""";
    private static readonly DateTime FirstWrite = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private readonly string _directory = Directory.CreateTempSubdirectory("sfai-model-map-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly string _path;
    private readonly ReloadableConfig<SfAi.Core.ModelMap.ModelMap> _loader;
    private int _writes;

    public ModelMapLoaderTests()
    {
        _path = Path.Combine(_directory, "model_map.json");
        _loader = ModelMapParser.Loader(new FileConfigSource(_path), _time);
    }

    public void Dispose()
    {
        _loader.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>Writes the file as a new version: each write gets a later write time.</summary>
    private void Write(string json)
    {
        File.WriteAllText(_path, json);
        File.SetLastWriteTimeUtc(_path, FirstWrite.AddMinutes(++_writes));
    }

    private async Task<ConfigRefreshResult> RefreshLaterAsync()
    {
        _time.Advance(TimeSpan.FromMinutes(1));
        return await _loader.RefreshAsync(Token);
    }

    [Fact]
    public async Task Loads_the_initial_map()
    {
        Write(OneAlias);

        await _loader.LoadInitialAsync(Token);

        Assert.Equal(["one"], _loader.Current.AliasNames);
        var status = _loader.Status;
        Assert.True(status.Loaded);
        Assert.Equal(_path, status.Source);
        Assert.Equal($"{FirstWrite.AddMinutes(1).Ticks}-{new FileInfo(_path).Length}", status.Version);
        Assert.Equal(_time.GetUtcNow(), status.LoadedAt);
        Assert.Null(status.LastError);
    }

    [Fact]
    public void Has_no_current_map_before_the_first_load()
    {
        Assert.Throws<InvalidOperationException>(() => _loader.Current);
        Assert.False(_loader.Status.Loaded);
    }

    [Fact]
    public async Task Initial_load_of_a_missing_file_names_the_path()
    {
        var exception = await Assert.ThrowsAsync<ConfigLoadException>(() => _loader.LoadInitialAsync(Token));

        Assert.Contains(_path, exception.Message, StringComparison.Ordinal);
        Assert.False(_loader.Status.Loaded);
    }

    [Fact]
    public async Task Initial_load_of_an_invalid_file_names_the_path_and_the_problem()
    {
        Write(Broken);

        var exception = await Assert.ThrowsAsync<ConfigLoadException>(() => _loader.LoadInitialAsync(Token));

        Assert.StartsWith($"No model map could be loaded from {_path}: ", exception.Message, StringComparison.Ordinal);
        Assert.Contains("$.aliases.one.provider: 'nowhere' is not declared", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unchanged_file_is_not_reloaded()
    {
        Write(OneAlias);
        await _loader.LoadInitialAsync(Token);
        var loadedAt = _loader.Status.LoadedAt;

        var result = await RefreshLaterAsync();

        Assert.Equal(ConfigRefreshOutcome.Unchanged, result.Outcome);
        Assert.Equal(loadedAt, _loader.Status.LoadedAt);
    }

    [Fact]
    public async Task Picks_up_a_valid_change()
    {
        Write(OneAlias);
        await _loader.LoadInitialAsync(Token);
        Write(TwoAliases);

        var result = await RefreshLaterAsync();

        Assert.Equal(new ConfigRefreshResult(ConfigRefreshOutcome.Updated), result);
        Assert.Equal(["one", "two"], _loader.Current.AliasNames);
        Assert.Equal(_time.GetUtcNow(), _loader.Status.LoadedAt);
    }

    [Fact]
    public async Task Rejects_an_invalid_change_and_keeps_the_last_good_map()
    {
        Write(OneAlias);
        await _loader.LoadInitialAsync(Token);
        var good = _loader.Current;
        var goodVersion = _loader.Status.Version;
        Write(Broken);

        var result = await RefreshLaterAsync();

        Assert.Equal(ConfigRefreshOutcome.Rejected, result.Outcome);
        Assert.Contains("$.aliases.one.provider", result.Problem, StringComparison.Ordinal);
        Assert.Same(good, _loader.Current);
        var status = _loader.Status;
        Assert.Equal(goodVersion, status.Version);
        Assert.Equal(result.Problem, status.LastError);
        Assert.Equal(_time.GetUtcNow(), status.LastErrorAt);
    }

    [Fact]
    public async Task Does_not_parse_the_same_rejected_version_again_but_keeps_reporting_it()
    {
        Write(OneAlias);
        await _loader.LoadInitialAsync(Token);
        Write(Broken);
        var rejected = await RefreshLaterAsync();

        var again = await RefreshLaterAsync();

        Assert.Equal(ConfigRefreshOutcome.Unchanged, again.Outcome);
        Assert.Equal(rejected.Problem, _loader.Status.LastError);
        Assert.Equal(["one"], _loader.Current.AliasNames);
    }

    [Fact]
    public async Task Recovers_when_the_file_is_fixed()
    {
        Write(OneAlias);
        await _loader.LoadInitialAsync(Token);
        Write(Broken);
        await RefreshLaterAsync();
        Write(TwoAliases);

        var result = await RefreshLaterAsync();

        Assert.Equal(ConfigRefreshOutcome.Updated, result.Outcome);
        Assert.Equal(["one", "two"], _loader.Current.AliasNames);
        Assert.Null(_loader.Status.LastError);
        Assert.Null(_loader.Status.LastErrorAt);
    }

    [Fact]
    public async Task Deleted_file_is_unreachable_and_keeps_the_last_good_map()
    {
        Write(OneAlias);
        await _loader.LoadInitialAsync(Token);
        var good = _loader.Current;
        File.Delete(_path);

        var result = await RefreshLaterAsync();

        Assert.Equal(ConfigRefreshOutcome.Unreachable, result.Outcome);
        Assert.StartsWith($"cannot read {_path}: ", result.Problem, StringComparison.Ordinal);
        Assert.Same(good, _loader.Current);
        Assert.Equal(result.Problem, _loader.Status.LastError);
        Assert.True(_loader.Status.Loaded);
    }

    [Fact]
    public async Task Size_change_alone_is_a_new_version()
    {
        Write(OneAlias);
        await _loader.LoadInitialAsync(Token);
        File.WriteAllText(_path, TwoAliases);
        File.SetLastWriteTimeUtc(_path, FirstWrite.AddMinutes(_writes));

        var result = await RefreshLaterAsync();

        Assert.Equal(ConfigRefreshOutcome.Updated, result.Outcome);
        Assert.Equal(["one", "two"], _loader.Current.AliasNames);
    }
}
