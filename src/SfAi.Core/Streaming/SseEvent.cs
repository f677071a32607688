namespace SfAi.Core.Streaming;

/// <summary>One server-sent event to send: its <c>event:</c> name when the protocol names events, and its <c>data:</c>.</summary>
public readonly record struct SseEvent(string? Name, ReadOnlyMemory<byte> Data)
{
    public static SseEvent Unnamed(ReadOnlyMemory<byte> data) => new(null, data);
}
