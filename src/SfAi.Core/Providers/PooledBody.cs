using System.Buffers;

namespace SfAi.Core.Providers;

/// <summary>An upstream body read into an array, from the shared pool or not; disposing gives a pooled array back.</summary>
public readonly struct PooledBody : IDisposable
{
    private readonly byte[] _array;
    private readonly bool _pooled;

    internal PooledBody(byte[] array, int length, bool pooled)
    {
        _array = array;
        Length = length;
        _pooled = pooled;
    }

    public int Length { get; }

    /// <summary>The array itself: exactly <see cref="Length"/> long when it is not pooled.</summary>
    internal byte[] Array => _array;

    public ReadOnlyMemory<byte> Memory => _array.AsMemory(0, Length);

    public ReadOnlySpan<byte> Span => _array.AsSpan(0, Length);

    public void Dispose()
    {
        if (_pooled)
        {
            ArrayPool<byte>.Shared.Return(_array);
        }
    }
}
