namespace SfAi.Core.Usage.Ledger;

/// <summary>
/// Where every finished request is kept for the usage figures (<c>USAGE_STORE</c>): recorded off the request path, never
/// failing it; read back grouped for the usage API and CLI.
/// </summary>
public interface IUsageLedger
{
    /// <summary>Queues a row; returns at once.</summary>
    void Record(UsageRow row);

    /// <summary>Writes every queued row.</summary>
    Task FlushAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<UsageGroup>> QueryAsync(UsageQuery query, CancellationToken cancellationToken);
}
