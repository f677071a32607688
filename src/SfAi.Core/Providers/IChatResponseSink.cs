namespace SfAi.Core.Providers;

/// <summary>
/// The client's side of a completion, in OpenAI's format. A provider writes either one JSON body or a stream
/// of server-sent events; each event is flushed to the client as soon as it is written.
/// </summary>
public interface IChatResponseSink
{
    /// <summary>Whether anything (status, headers) has gone to the client.</summary>
    bool HasStarted { get; }

    /// <summary>Sends a whole JSON response.</summary>
    ValueTask WriteJsonAsync(int status, ReadOnlyMemory<byte> json, CancellationToken cancellationToken);

    /// <summary>Sends the status and headers of an event stream.</summary>
    ValueTask StartEventStreamAsync(CancellationToken cancellationToken);

    /// <summary>Sends one <c>data:</c> event and flushes it.</summary>
    ValueTask WriteEventAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);
}
