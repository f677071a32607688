using System.Threading.Channels;
using SfAi.Core.Usage.Ledger;

namespace SfAi.Api.Usage;

/// <summary>
/// What every store of the usage ledger shares: requests only queue their row; one writer hands the store what is
/// waiting as one batch, so a busy gateway makes one write per batch; a flush waits for the batch being written and
/// writes the rest. A batch that fails is lost (the log lines still hold its rows) and reported at most once per
/// interval, with the rows lost since the last report.
/// </summary>
internal abstract class QueuedUsageLedger : IUsageLedger, IAsyncDisposable
{
    public static readonly TimeSpan FailureReportInterval = TimeSpan.FromMinutes(1);
    private const int MaxBatch = 10_000;

    private readonly Channel<UsageRow> _queue = Channel.CreateUnbounded<UsageRow>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _writing = new(1, 1);
    private readonly Action<string, long> _reportFailure;
    private readonly TimeProvider _time;
    private Task? _writer;
    private DateTimeOffset _lastFailureReport = DateTimeOffset.MinValue;
    private long _lostSinceReport;

    /// <param name="reportFailure">Told what failed and how many rows were lost since the previous report.</param>
    /// <param name="time">The clock of the reports' interval.</param>
    protected QueuedUsageLedger(Action<string, long> reportFailure, TimeProvider time)
    {
        _reportFailure = reportFailure;
        _time = time;
    }

    /// <summary>Starts the writer; called by the store once it is ready.</summary>
    protected void StartWriting() => _writer = Task.Run(WriteAsync);

    public void Record(UsageRow row) => _queue.Writer.TryWrite(row);

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _writing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (await WriteWaitingAsync().ConfigureAwait(false))
            {
            }
        }
        finally
        {
            _writing.Release();
        }
    }

    public abstract Task<IReadOnlyList<UsageGroup>> QueryAsync(UsageQuery query, CancellationToken cancellationToken);

    /// <summary>Writes one batch; a failure throws (and loses the batch).</summary>
    protected abstract Task WriteAsync(IReadOnlyList<UsageRow> batch);

    /// <summary>Whether a failure of <see cref="WriteAsync(IReadOnlyList{UsageRow})"/> is the store's (reported) rather than a bug.</summary>
    protected abstract bool IsStoreFailure(Exception exception);

    private async Task WriteAsync()
    {
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            await _writing.WaitAsync().ConfigureAwait(false);
            try
            {
                await WriteWaitingAsync().ConfigureAwait(false);
            }
            finally
            {
                _writing.Release();
            }
        }
    }

    /// <summary>Writes one batch of what is queued; whether there was any.</summary>
    private async Task<bool> WriteWaitingAsync()
    {
        if (!_queue.Reader.TryPeek(out _))
        {
            return false;
        }
        var batch = new List<UsageRow>();
        while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var row))
        {
            batch.Add(row);
        }
        try
        {
            await WriteAsync(batch).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsStoreFailure(ex))
        {
            Report($"{ex.GetType().Name}: {ex.Message}", batch.Count);
        }
        return true;
    }

    private void Report(string reason, int lostRows)
    {
        var lost = Interlocked.Add(ref _lostSinceReport, lostRows);
        var now = _time.GetUtcNow();
        if (now - _lastFailureReport >= FailureReportInterval)
        {
            _lastFailureReport = now;
            Interlocked.Add(ref _lostSinceReport, -lost);
            _reportFailure(reason, lost);
        }
    }

    public virtual async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (_writer is not null)
        {
            await _writer.ConfigureAwait(false);
        }
        await FlushAsync(CancellationToken.None).ConfigureAwait(false);
        _writing.Dispose();
        GC.SuppressFinalize(this);
    }
}
