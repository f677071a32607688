using SfAi.Core.Protocols.OpenAIChat;

namespace SfAi.Core.Protocols;

/// <summary>
/// A client's request in the client's own protocol, checked once by that protocol's parser. A provider that speaks the
/// same protocol passes it through (<see cref="Providers.IChatProvider.Speaks"/>); any other provider is given
/// <see cref="Chat"/>, the request as the pivot, and the answer goes back through the protocol's
/// <see cref="IProtocolCodec"/>.
/// </summary>
public abstract class InboundRequest
{
    public abstract WireProtocol Protocol { get; }

    /// <summary>The alias the client asked for.</summary>
    public abstract string Model { get; }

    public abstract bool Stream { get; }

    /// <summary>
    /// The request as an OpenAI chat request, built on first use; a request the pivot cannot express throws a
    /// <see cref="Errors.GatewayException"/> naming what the alias would need.
    /// </summary>
    public abstract ChatRequest Chat { get; }

    /// <summary>What <see cref="Chat"/> had to leave out of the client's request (built-in tools, items chat has no form for), for the log.</summary>
    public virtual IReadOnlyList<string> DroppedInTranslation => [];

    /// <summary>
    /// The conversation as the log shows it (latest user message, tail). A protocol may give it without building the
    /// whole pivot, which a pass-through never needs otherwise.
    /// </summary>
    public virtual ConversationText Conversation => ConversationText.From(Chat);

    /// <summary>The conversation as chat messages, for counting the prompt's tokens (limits, budgets, a missing usage).</summary>
    public virtual System.Text.Json.Nodes.JsonArray PromptMessages => Chat.Messages;

    /// <summary>The most output the client allows (<c>max_tokens</c> and the like); null when it sets none.</summary>
    public virtual int? MaxOutputTokens => null;
}
