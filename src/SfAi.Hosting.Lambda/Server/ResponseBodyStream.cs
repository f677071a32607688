namespace SfAi.Hosting.Lambda.Server;

/// <summary>
/// The app's response body: a write-only stream whose writes and flushes go to the invocation's response, which
/// starts (runs <c>OnStarting</c>, fixes the headers) at the first of them, as Kestrel does.
/// </summary>
internal sealed class ResponseBodyStream(
    Func<ReadOnlyMemory<byte>, CancellationToken, Task> write, Func<CancellationToken, Task> flush) : Stream
{
    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Flush() => flush(CancellationToken.None).GetAwaiter().GetResult();

    public override Task FlushAsync(CancellationToken cancellationToken) => flush(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) =>
        write(buffer.AsMemory(offset, count), CancellationToken.None).GetAwaiter().GetResult();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        new(write(buffer, cancellationToken));

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        write(buffer.AsMemory(offset, count), cancellationToken);
}
