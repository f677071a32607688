namespace SfAi.Core.Streaming;

/// <summary>
/// One server-sent event as read: its <c>event</c> name (empty when it has none) and its data, both UTF-8 in the
/// reader's buffers, valid until the reader moves on.
/// </summary>
public readonly record struct ReceivedSseEvent(ReadOnlyMemory<byte> Name, ReadOnlyMemory<byte> Data);
