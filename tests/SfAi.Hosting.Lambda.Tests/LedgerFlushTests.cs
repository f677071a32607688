using Microsoft.Extensions.DependencyInjection;
using SfAi.Core.Usage.Ledger;
using SfAi.Hosting.Lambda.Tests.Support;

namespace SfAi.Hosting.Lambda.Tests;

/// <summary>
/// In Lambda the usage row is written before the invocation's response completes: Lambda may freeze the instance as
/// soon as it has, and a row still queued would be late or lost. The ledger here writes only when flushed, so a row
/// found written when the runtime has the response was written by the invocation itself.
/// </summary>
public sealed class LedgerFlushTests
{
    private const string Hello = """{"model":"echo","messages":[{"role":"user","content":"hi"}]}""";
    private const string StreamedHello = """{"model":"echo","stream":true,"messages":[{"role":"user","content":"hi"}]}""";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Writes_the_usage_row_before_the_invocation_answers(bool streaming)
    {
        var ledger = new FlushOnlyLedger();
        await using var runtime = await RuntimeApiEmulator.StartAsync();
        await using var gateway = await LambdaGateway.StartAsync(runtime, streaming,
            builder => builder.Services.AddSingleton<IUsageLedger>(ledger), "--USAGE_STORE=sqlite");

        var posted = await runtime.InvokeAsync(streaming
            ? LambdaEvents.FunctionUrl("/v1/chat/completions", StreamedHello)
            : LambdaEvents.HttpApi("POST", "/v1/chat/completions", Hello));

        Assert.Equal("response", posted.Kind);
        var row = Assert.Single(ledger.Written);
        Assert.Equal(("echo", 200), (row.Alias, row.Status));
        Assert.Empty(ledger.Queued);
    }

    private sealed class FlushOnlyLedger : IUsageLedger
    {
        public List<UsageRow> Queued { get; } = [];

        public List<UsageRow> Written { get; } = [];

        public void Record(UsageRow row)
        {
            lock (Queued)
            {
                Queued.Add(row);
            }
        }

        public Task FlushAsync(CancellationToken cancellationToken)
        {
            lock (Queued)
            {
                Written.AddRange(Queued);
                Queued.Clear();
            }
            return Task.CompletedTask;
        }

        public Task<IReadOnlyList<UsageGroup>> QueryAsync(UsageQuery query, CancellationToken cancellationToken) =>
            throw new NotSupportedException("Only written in these tests.");
    }
}
