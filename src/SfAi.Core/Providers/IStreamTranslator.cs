using SfAi.Core.Errors;
using SfAi.Core.Streaming;
using SfAi.Core.Usage;

namespace SfAi.Core.Providers;

/// <summary>
/// One upstream stream turned into the client's events, one upstream event at a time, and what the gateway learns
/// from it for the log. The <see cref="StreamRelay"/> drives it and decides how the stream ended.
/// </summary>
public interface IStreamTranslator
{
    /// <summary>What the upstream speaks, for the message of an event it cannot read ("a Messages API event").</summary>
    string UpstreamEventName { get; }

    /// <summary>The event that ends the stream normally, for the message of a stream that ends before it.</summary>
    string EndMarker { get; }

    /// <summary>Translates one upstream event's data into the events to send (none, one or more), in order.</summary>
    void Translate(ReadOnlyMemory<byte> data, List<SseEvent> output);

    /// <summary>
    /// Translates one upstream event, with its <c>event</c> name (empty when it has none): a protocol that names its
    /// events (the Messages API, the Responses API) relays the name; the others read the data alone.
    /// </summary>
    void Translate(ReceivedSseEvent received, List<SseEvent> output) => Translate(received.Data, output);

    /// <summary>Whether the stream reached its end; the relay stops reading there.</summary>
    bool Finished { get; }

    /// <summary>An error the stream reported itself; the client got it among the translated events.</summary>
    GatewayError? Error { get; }

    TokenUsage? Usage { get; }

    string? FinishReason { get; }

    /// <summary>The generated text and tool arguments, for counting tokens when the upstream reports no usage.</summary>
    string CompletionText { get; }
}
