using SfAi.Core.Providers;

namespace SfAi.Core.Protocols.OpenAIChat;

/// <summary>The pivot's own protocol: its answer goes to the client as it is.</summary>
public sealed class OpenAIChatCodec : IProtocolCodec
{
    public WireProtocol Protocol => WireProtocol.OpenAIChat;

    public IChatResponseSink FromChat(InboundRequest request, IChatResponseSink client) => client;
}
