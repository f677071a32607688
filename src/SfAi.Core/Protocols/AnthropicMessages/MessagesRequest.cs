using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SfAi.Core.Json;
using SfAi.Core.Protocols.OpenAIChat;

namespace SfAi.Core.Protocols.AnthropicMessages;

/// <summary>
/// An Anthropic Messages API request, checked once: the client's bytes, where each top-level field lies in them, the
/// few values the gateway acts on, and the client's <c>anthropic-version</c> and <c>anthropic-beta</c> headers, which a
/// pass-through forwards. The tree (<see cref="Body"/>) and the pivot (<see cref="Chat"/>) are built on first use.
/// </summary>
public sealed class MessagesRequest : InboundRequest
{
    private readonly ReadOnlyMemory<byte> _json;
    private JsonObject? _body;
    private ChatRequest? _chat;
    private JsonObject? _chatBody;

    internal MessagesRequest(ReadOnlyMemory<byte> json, RequestField[] fields, string model, bool stream, int? maxTokens)
    {
        _json = json;
        Fields = fields;
        Model = model;
        Stream = stream;
        MaxTokens = maxTokens;
    }

    public override WireProtocol Protocol => WireProtocol.AnthropicMessages;

    public override string Model { get; }

    public override bool Stream { get; }

    /// <summary>The client's <c>max_tokens</c>; absent on <c>count_tokens</c>.</summary>
    public int? MaxTokens { get; }

    /// <summary>The client's <c>anthropic-version</c> header.</summary>
    public string? Version { get; internal init; }

    /// <summary>The client's <c>anthropic-beta</c> header values, each beta on its own.</summary>
    public IReadOnlyList<string> Betas { get; internal init; } = [];

    /// <summary>The request as the client sent it, as a tree built on first use; nothing mutates it.</summary>
    public JsonObject Body => _body ??= ChatRequestParser.Tree(_json.Span);

    /// <summary>The request as an OpenAI chat request (<see cref="MessagesToChat"/>), built on first use.</summary>
    public override ChatRequest Chat => _chat ??= ChatRequestParser.ParsePivot(JsonWriting.ToUtf8(ChatBody));

    /// <summary>
    /// From the pivot's messages as built (<see cref="ChatBody"/>): a pass-through, which needs them only for the log and
    /// the token estimate, is spared writing the pivot out and parsing it back.
    /// </summary>
    public override ConversationText Conversation => ConversationText.From(PromptMessages);

    public override JsonArray PromptMessages => ChatBody["messages"]!.AsArray();

    public override int? MaxOutputTokens => MaxTokens;

    /// <summary>The pivot as a tree (<see cref="MessagesToChat.ToChatBody"/>), built on first use; nothing mutates it.</summary>
    private JsonObject ChatBody => _chatBody ??= MessagesToChat.ToChatBody(Body, Model, Stream);

    public override IReadOnlyList<string> DroppedInTranslation => MessagesToChat.LeftOut(this);

    /// <summary>The client's bytes.</summary>
    internal ReadOnlySpan<byte> Json => _json.Span;

    /// <summary>The top-level fields, in the client's order.</summary>
    internal RequestField[] Fields { get; }

    internal string NameOf(in RequestField field) => field.NameEscaped
        ? ChatRequest.DecodeString(_json.Span[(field.NameStart - 1)..(field.NameEnd + 1)])
        : Encoding.UTF8.GetString(_json.Span[field.NameStart..field.NameEnd]);

    internal bool IsNamed(in RequestField field, ReadOnlySpan<byte> utf8Name) => field.NameEscaped
        ? NameOf(field) == Encoding.UTF8.GetString(utf8Name)
        : _json.Span[field.NameStart..field.NameEnd].SequenceEqual(utf8Name);
}
