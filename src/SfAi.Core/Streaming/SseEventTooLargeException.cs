namespace SfAi.Core.Streaming;

/// <summary>
/// The upstream sent one server-sent event larger than the reader accepts. An <see cref="IOException"/>, so a stream
/// that ends this way is reported to the client like any other upstream failure mid-stream.
/// </summary>
public sealed class SseEventTooLargeException(int maxEventBytes)
    : IOException($"The upstream sent a stream event larger than {maxEventBytes} bytes.")
{
    /// <summary>The largest event the reader accepted.</summary>
    public int MaxEventBytes { get; } = maxEventBytes;
}
