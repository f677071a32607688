namespace SfAi.Core.Configuration;

/// <summary>
/// Holds the version of a configuration file in force (the model map, the keys file). A new version replaces it only
/// once it has been validated; a broken or unreadable source keeps the last good version. A version that was
/// refused is not read again until the source changes.
/// </summary>
/// <typeparam name="T">The parsed configuration.</typeparam>
public sealed class ReloadableConfig<T> : IReloadableConfig, IDisposable
    where T : class
{
    private readonly IConfigSource _source;
    private readonly Func<byte[], string, T> _parse;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _refreshGate = new(1, 1);
    private volatile State? _state;
    private volatile Failure? _lastFailure;
    private volatile string? _rejectedVersion;

    /// <param name="what">What the file is, for messages ("model map", "keys file").</param>
    /// <param name="source">Where it is read from.</param>
    /// <param name="parse">Parses and validates one version; throws <see cref="ConfigValidationException"/>.</param>
    /// <param name="time">The clock.</param>
    public ReloadableConfig(string what, IConfigSource source, Func<byte[], string, T> parse, TimeProvider time)
    {
        What = what;
        _source = source;
        _parse = parse;
        _time = time;
    }

    public string What { get; }

    public string Source => _source.Description;

    /// <summary>The version in force.</summary>
    /// <exception cref="InvalidOperationException">Nothing has been loaded yet.</exception>
    public T Current => _state?.Value ?? throw new InvalidOperationException($"No {What} is loaded from {Source}.");

    public ConfigStatus Status
    {
        get
        {
            var state = _state;
            var failure = _lastFailure;
            return new ConfigStatus(Source, state is not null, state?.Version, state?.LoadedAt, failure?.Problem, failure?.At);
        }
    }

    /// <summary>Loads the first version; the gateway cannot start without one.</summary>
    /// <exception cref="ConfigLoadException">The file is missing, unreadable or invalid.</exception>
    public async Task LoadInitialAsync(CancellationToken cancellationToken)
    {
        var result = await RefreshAsync(cancellationToken);
        if (_state is null)
        {
            throw new ConfigLoadException(What, Source, result.Problem ?? "nothing was read");
        }
    }

    public async Task<ConfigRefreshResult> RefreshAsync(CancellationToken cancellationToken)
    {
        await _refreshGate.WaitAsync(cancellationToken);
        try
        {
            return await RefreshOnceAsync(cancellationToken);
        }
        finally
        {
            _refreshGate.Release();
        }
    }

    public void Dispose() => _refreshGate.Dispose();

    private async Task<ConfigRefreshResult> RefreshOnceAsync(CancellationToken cancellationToken)
    {
        ConfigContent? content;
        try
        {
            content = await _source.ReadIfChangedAsync(_rejectedVersion ?? _state?.Version, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return Fail(ConfigRefreshOutcome.Unreachable, $"cannot read {Source}: {ex.Message}");
        }
        if (content is null)
        {
            if (_lastFailure is { Outcome: ConfigRefreshOutcome.Unreachable })
            {
                _lastFailure = null;
            }
            return new ConfigRefreshResult(ConfigRefreshOutcome.Unchanged);
        }

        try
        {
            var value = _parse(content.Json, Source);
            _state = new State(value, content.Version, _time.GetUtcNow());
            _lastFailure = null;
            _rejectedVersion = null;
            return new ConfigRefreshResult(ConfigRefreshOutcome.Updated);
        }
        catch (ConfigValidationException ex)
        {
            _rejectedVersion = content.Version;
            return Fail(ConfigRefreshOutcome.Rejected, ex.Message);
        }
    }

    private ConfigRefreshResult Fail(ConfigRefreshOutcome outcome, string problem)
    {
        _lastFailure = new Failure(outcome, problem, _time.GetUtcNow());
        return new ConfigRefreshResult(outcome, problem);
    }

    private sealed record State(T Value, string Version, DateTimeOffset LoadedAt);

    private sealed record Failure(ConfigRefreshOutcome Outcome, string Problem, DateTimeOffset At);
}
