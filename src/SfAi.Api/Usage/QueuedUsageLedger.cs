using System.Threading.Channels;
using SfAi.Core.Usage.Ledger;

namespace SfAi.Api.Usage;

/// <summary>
/// What every store of the usage ledger shares: requests only queue their row; one writer hands the store what is
/// waiting as one batch, so a busy gateway makes one write per batch; a flush waits for the batch being written and
/// writes the rest. A batch that fails is lost (the log lines still hold its rows) and reported at most once per
/// interval, with the rows lost since the last report. After a failure the store rests for <see cref="FailureRest"/>:
/// rows wait in the queue (at most <see cref="MaxQueued"/>, the oldest lost first) and a flush returns at once, so an
/// outage never adds the store's timeout to a Lambda invocation.
/// </summary>
internal abstract class QueuedUsageLedger : IUsageLedger, IAsyncDisposable
{
    public static readonly TimeSpan FailureReportInterval = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan FailureRest = TimeSpan.FromSeconds(30);
    public const int MaxQueued = 100_000;
    private const int MaxBatch = 10_000;

    private readonly Channel<UsageRow> _queue;
    private readonly SemaphoreSlim _writing = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Action<string, long> _reportFailure;
    private readonly TimeProvider _time;
    private Task? _writer;
    private DateTimeOffset _lastFailureReport = DateTimeOffset.MinValue;
    private DateTimeOffset _restUntil = DateTimeOffset.MinValue;
    private string _lastFailure = string.Empty;
    private long _lostSinceReport;

    /// <param name="reportFailure">Told what failed and how many rows were lost since the previous report.</param>
    /// <param name="time">The clock of the reports' interval.</param>
    protected QueuedUsageLedger(Action<string, long> reportFailure, TimeProvider time)
    {
        _reportFailure = reportFailure;
        _time = time;
        _queue = Channel.CreateBounded<UsageRow>(
            new BoundedChannelOptions(MaxQueued) { SingleReader = true, FullMode = BoundedChannelFullMode.DropOldest },
            _ => Report(_lastFailure, 1));
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
            if (RestLeft() is { } rest)
            {
                try
                {
                    await Task.Delay(rest, _time, _stopping.Token).ConfigureAwait(false);
                    continue;
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
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
        if (RestLeft() is not null || !_queue.Reader.TryPeek(out _))
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
            _lastFailure = $"{ex.GetType().Name}: {ex.Message}";
            _restUntil = _time.GetUtcNow() + FailureRest;
            Report(_lastFailure, batch.Count);
        }
        return true;
    }

    /// <summary>How long the store still rests after a failure; null when it may be written.</summary>
    private TimeSpan? RestLeft()
    {
        var left = _restUntil - _time.GetUtcNow();
        return left > TimeSpan.Zero ? left : null;
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

    /// <summary>Writes what is queued, once more even after a failure (the process is ending).</summary>
    public virtual async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_writer is not null)
        {
            await _writer.ConfigureAwait(false);
        }
        _restUntil = DateTimeOffset.MinValue;
        await FlushAsync(CancellationToken.None).ConfigureAwait(false);
        _writing.Dispose();
        _stopping.Dispose();
        GC.SuppressFinalize(this);
    }
}
