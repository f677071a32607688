using SfAi.Core.Providers;

namespace SfAi.Core.Protocols;

/// <summary>
/// The way back from the pivot for one inbound protocol: turns what a provider writes in OpenAI chat form (a JSON body
/// or chat chunks) into the client's protocol, event by event.
/// </summary>
public interface IProtocolCodec
{
    WireProtocol Protocol { get; }

    /// <summary>A sink that takes the pivot's answer to <paramref name="request"/> and writes it to <paramref name="client"/> in the client's protocol.</summary>
    IChatResponseSink FromChat(InboundRequest request, IChatResponseSink client);
}
