using Microsoft.Extensions.Time.Testing;
using SfAi.Api.Usage;
using SfAi.Core.Usage.Ledger;

namespace SfAi.Api.Tests.Usage;

/// <summary>
/// What every ledger store shares: a failed batch is lost and reported, then the store rests (rows wait, a flush
/// returns at once: in Lambda an outage must not add the store's timeout to each invocation), then writes again.
/// </summary>
public sealed class QueuedUsageLedgerTests
{
    private static UsageRow Row(string id) => new(DateTimeOffset.UtcNow, id, "alice", null, "echo", "echo", "echo", "echo-1", 200, null,
        1, 1, 0, 0.000001m, CostKnown: true, TokensEstimated: true, 1.5);

    [Fact]
    public async Task After_a_failed_batch_the_store_rests_and_then_writes_what_waited()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var reports = new List<(string Reason, long Lost)>();
        await using var ledger = new FlakyLedger(time, (reason, lost) => { lock (reports) { reports.Add((reason, lost)); } });
        ledger.Failing = true;

        ledger.Record(Row("req_1"));
        await ledger.FlushAsync(TestContext.Current.CancellationToken);
        ledger.Failing = false;
        ledger.Record(Row("req_2"));
        await ledger.FlushAsync(TestContext.Current.CancellationToken);
        var writesWhileResting = ledger.Writes;
        time.Advance(QueuedUsageLedger.FailureRest);
        await ledger.FlushAsync(TestContext.Current.CancellationToken);

        var (reason, lost) = Assert.Single(reports);
        Assert.Equal(("IOException: the disk is gone", 1L), (reason, lost));
        Assert.Equal(1, writesWhileResting);
        Assert.Equal(["req_2"], ledger.Written.Select(r => r.RequestId));
    }

    private sealed class FlakyLedger : QueuedUsageLedger
    {
        public FlakyLedger(TimeProvider time, Action<string, long> report)
            : base(report, time) => StartWriting();

        public volatile bool Failing;

        public int Writes;

        public List<UsageRow> Written { get; } = [];

        public override Task<IReadOnlyList<UsageGroup>> QueryAsync(UsageQuery query, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        protected override bool IsStoreFailure(Exception exception) => exception is IOException;

        protected override Task WriteAsync(IReadOnlyList<UsageRow> batch)
        {
            Interlocked.Increment(ref Writes);
            if (Failing)
            {
                throw new IOException("the disk is gone");
            }
            Written.AddRange(batch);
            return Task.CompletedTask;
        }
    }
}
