using System.IO.Pipelines;

namespace SfAi.Hosting.Lambda.Tests.Support;

/// <summary>A writer that pauses after each flush, and fails at a chosen flush.</summary>
public sealed class PacedPipeWriter(PipeWriter inner, TimeSpan gap, int? failAtFlush) : PipeWriter
{
    private int _flushes;

    public override void Advance(int bytes) => inner.Advance(bytes);

    public override void CancelPendingFlush() => inner.CancelPendingFlush();

    public override void Complete(Exception? exception = null) => inner.Complete(exception);

    public override Memory<byte> GetMemory(int sizeHint = 0) => inner.GetMemory(sizeHint);

    public override Span<byte> GetSpan(int sizeHint = 0) => inner.GetSpan(sizeHint);

    public override async ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        if (++_flushes == failAtFlush)
        {
            throw new InvalidOperationException($"Flush {_flushes} fails, as the test asked.");
        }
        var result = await inner.FlushAsync(cancellationToken);
        await Task.Delay(gap, cancellationToken);
        return result;
    }
}
