using SfAi.Core.Providers;

namespace SfAi.Core.Protocols.AnthropicMessages;

/// <summary>The way back from the pivot to a Messages client: a completion as a message, chat chunks as Messages events.</summary>
public sealed class MessagesCodec : IProtocolCodec
{
    public WireProtocol Protocol => WireProtocol.AnthropicMessages;

    public IChatResponseSink FromChat(InboundRequest request, IChatResponseSink client) => new ChatToMessagesSink(client);
}
