using SfAi.Core.Errors;

namespace SfAi.Core.Providers;

/// <summary>
/// The client's side of a call, in the client's protocol. A provider writes either one JSON body or a stream of
/// server-sent events; each event is flushed to the client as soon as it is written.
/// </summary>
public interface IChatResponseSink
{
    /// <summary>Whether anything (status, headers) has gone to the client.</summary>
    bool HasStarted { get; }

    /// <summary>Sends a whole JSON response.</summary>
    ValueTask WriteJsonAsync(int status, ReadOnlyMemory<byte> json, CancellationToken cancellationToken);

    /// <summary>Sends the status and headers of an event stream.</summary>
    ValueTask StartEventStreamAsync(CancellationToken cancellationToken);

    /// <summary>Sends one event (an <c>event:</c> line when it has a name, then its <c>data:</c>) and flushes it.</summary>
    ValueTask WriteEventAsync(string? name, ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    /// <summary>Sends a <c>data:</c>-only event, as OpenAI's streams are made of.</summary>
    ValueTask WriteEventAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        WriteEventAsync(null, data, cancellationToken);

    /// <summary>Tells the client, inside a stream that has started, that it failed: as an error event of the client's protocol.</summary>
    ValueTask WriteErrorEventAsync(GatewayError error, CancellationToken cancellationToken);
}
