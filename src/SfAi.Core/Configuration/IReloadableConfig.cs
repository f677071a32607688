namespace SfAi.Core.Configuration;

/// <summary>A configuration file kept in force by <see cref="ReloadableConfig{T}"/>, whatever it parses to.</summary>
public interface IReloadableConfig
{
    string What { get; }

    string Source { get; }

    ConfigStatus Status { get; }

    Task LoadInitialAsync(CancellationToken cancellationToken);

    Task<ConfigRefreshResult> RefreshAsync(CancellationToken cancellationToken);
}
