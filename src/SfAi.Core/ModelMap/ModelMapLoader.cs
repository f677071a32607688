namespace SfAi.Core.ModelMap;

/// <summary>
/// Holds the model map in force. A new version replaces it only once it has been validated;
/// a broken or unreadable source keeps the last good map.
/// </summary>
public sealed class ModelMapLoader : IDisposable
{
    private readonly IModelMapSource _source;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _refreshGate = new(1, 1);
    private volatile State? _state;
    private volatile Failure? _lastFailure;
    private volatile string? _rejectedVersion;

    public ModelMapLoader(IModelMapSource source, TimeProvider time)
    {
        _source = source;
        _time = time;
    }

    public string Source => _source.Description;

    /// <summary>The map in force.</summary>
    /// <exception cref="InvalidOperationException">No map has been loaded yet.</exception>
    public ModelMap Current => _state?.Map ?? throw new InvalidOperationException($"No model map is loaded from {Source}.");

    public ModelMapStatus Status
    {
        get
        {
            var state = _state;
            var failure = _lastFailure;
            return new ModelMapStatus(Source, state is not null, state?.Version, state?.LoadedAt,
                state?.Map.Aliases.Count ?? 0, failure?.Problem, failure?.At);
        }
    }

    /// <summary>Loads the first map; the gateway cannot start without one.</summary>
    /// <exception cref="ModelMapLoadException">The map is missing, unreadable or invalid.</exception>
    public async Task LoadInitialAsync(CancellationToken cancellationToken)
    {
        var result = await RefreshAsync(cancellationToken);
        if (_state is null)
        {
            throw new ModelMapLoadException(Source, result.Problem ?? "no map was read");
        }
    }

    public async Task<ModelMapRefreshResult> RefreshAsync(CancellationToken cancellationToken)
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

    private async Task<ModelMapRefreshResult> RefreshOnceAsync(CancellationToken cancellationToken)
    {
        ModelMapContent? content;
        try
        {
            content = await _source.ReadIfChangedAsync(_rejectedVersion ?? _state?.Version, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return Fail(ModelMapRefreshOutcome.Unreachable, $"cannot read {Source}: {ex.Message}");
        }
        if (content is null)
        {
            return new ModelMapRefreshResult(ModelMapRefreshOutcome.Unchanged);
        }

        try
        {
            var map = ModelMapParser.Parse(content.Json, Source);
            _state = new State(map, content.Version, _time.GetUtcNow());
            _lastFailure = null;
            _rejectedVersion = null;
            return new ModelMapRefreshResult(ModelMapRefreshOutcome.Updated);
        }
        catch (ModelMapValidationException ex)
        {
            _rejectedVersion = content.Version;
            return Fail(ModelMapRefreshOutcome.Rejected, ex.Message);
        }
    }

    private ModelMapRefreshResult Fail(ModelMapRefreshOutcome outcome, string problem)
    {
        _lastFailure = new Failure(problem, _time.GetUtcNow());
        return new ModelMapRefreshResult(outcome, problem);
    }

    public void Dispose() => _refreshGate.Dispose();

    private sealed record State(ModelMap Map, string Version, DateTimeOffset LoadedAt);

    private sealed record Failure(string Problem, DateTimeOffset At);
}
