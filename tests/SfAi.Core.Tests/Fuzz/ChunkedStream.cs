namespace SfAi.Core.Tests.Fuzz;

/// <summary>
/// A read-only stream over fixed bytes whose reads return the given sizes in turn (cycling), never more than asked:
/// the same body arriving in other pieces, as a network delivers it.
/// </summary>
internal sealed class ChunkedStream(byte[] bytes, IReadOnlyList<int> readSizes) : Stream
{
    private int _position;
    private int _reads;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var size = Math.Min(Math.Min(buffer.Length, readSizes[_reads++ % readSizes.Count]), bytes.Length - _position);
        bytes.AsSpan(_position, size).CopyTo(buffer);
        _position += size;
        return size;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
