using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SfAi.Core.Protocols.OpenAIChat;

/// <summary>
/// An OpenAI chat completion request, checked once: the client's bytes, where each top-level field and each message's
/// role and content lie in them, and the few values the gateway itself acts on. The full JSON tree (<see cref="Body"/>,
/// <see cref="Messages"/>) is built only when something asks for it — a translation; the pass-through rewrite copies
/// the client's bytes and the log reads the messages' text straight from them (<see cref="ConversationText.From(ChatRequest)"/>).
/// </summary>
public sealed class ChatRequest : InboundRequest, IClientFields
{
    private readonly ReadOnlyMemory<byte> _json;
    private JsonObject? _body;

    internal ChatRequest(
        ReadOnlyMemory<byte> json, RequestField[] fields, MessageSlot[] messages, string model, bool stream, bool clientWantsUsage)
    {
        _json = json;
        Fields = fields;
        MessageSlots = messages;
        Model = model;
        Stream = stream;
        ClientWantsUsage = clientWantsUsage;
    }

    /// <summary>The request as the client sent it, as a tree built on first use. Providers copy it; nothing mutates it.</summary>
    public JsonObject Body => _body ??= ChatRequestParser.Tree(_json.Span);

    public override WireProtocol Protocol => WireProtocol.OpenAIChat;

    /// <summary>The alias the client asked for.</summary>
    public override string Model { get; }

    public override bool Stream { get; }

    /// <summary>Itself: the pivot is OpenAI chat.</summary>
    public override ChatRequest Chat => this;

    /// <summary>Whether the client asked for the usage chunk (<c>stream_options.include_usage</c>).</summary>
    public bool ClientWantsUsage { get; }

    /// <summary>The conversation, from <see cref="Body"/> (which it builds on first use).</summary>
    public JsonArray Messages => Body["messages"]!.AsArray();

    /// <summary><c>max_completion_tokens</c>, else <c>max_tokens</c>, read from the client's bytes.</summary>
    public override int? MaxOutputTokens => PositiveInt("max_completion_tokens"u8) ?? PositiveInt("max_tokens"u8);

    private int? PositiveInt(ReadOnlySpan<byte> utf8Name)
    {
        foreach (var field in Fields)
        {
            if (field.Kind == JsonTokenType.Number && IsNamed(field, utf8Name)
                && System.Buffers.Text.Utf8Parser.TryParse(_json.Span[field.Value], out int value, out var consumed)
                && consumed == field.ValueEnd - field.ValueStart && value > 0)
            {
                return value;
            }
        }
        return null;
    }

    /// <summary>The client's bytes.</summary>
    internal ReadOnlySpan<byte> Json => _json.Span;

    /// <summary>The top-level fields, in the client's order.</summary>
    internal RequestField[] Fields { get; }

    /// <summary>Each message's role and content, in order.</summary>
    internal MessageSlot[] MessageSlots { get; }

    /// <summary>The name of a top-level field, decoded.</summary>
    internal string NameOf(in RequestField field) => field.NameIn(_json.Span);

    /// <summary>Whether a top-level field is called <paramref name="utf8Name"/>.</summary>
    internal bool IsNamed(in RequestField field, ReadOnlySpan<byte> utf8Name) => field.IsNamed(_json.Span, utf8Name);

    ReadOnlySpan<byte> IClientFields.Json => Json;

    RequestField[] IClientFields.Fields => Fields;

    string IClientFields.NameOf(in RequestField field) => NameOf(field);

    bool IClientFields.IsNamed(in RequestField field, ReadOnlySpan<byte> utf8Name) => IsNamed(field, utf8Name);

    /// <summary>
    /// A JSON string token (with its quotes) as text; an escape that is no text (a lone surrogate) is kept as written.
    /// A token without escapes (most text) is decoded straight from its bytes, which the parser has read as JSON.
    /// </summary>
    internal static string DecodeString(ReadOnlySpan<byte> token)
    {
        if (token[1..^1].IndexOf((byte)'\\') < 0)
        {
            return Encoding.UTF8.GetString(token[1..^1]);
        }
        var reader = new Utf8JsonReader(token, ChatRequestParser.ReaderOptions);
        reader.Read();
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            return Encoding.UTF8.GetString(token[1..^1]);
        }
    }
}

/// <summary>A top-level field: where its name (inside the quotes) and its value lie in the client's bytes.</summary>
internal readonly record struct RequestField(int NameStart, int NameEnd, bool NameEscaped, int ValueStart, int ValueEnd, JsonTokenType Kind)
{
    public Range Value => ValueStart..ValueEnd;

    /// <summary>The field's name in <paramref name="json"/> (the body it was found in), decoded.</summary>
    public string NameIn(ReadOnlySpan<byte> json) => NameEscaped
        ? ChatRequest.DecodeString(json[(NameStart - 1)..(NameEnd + 1)])
        : Encoding.UTF8.GetString(json[NameStart..NameEnd]);

    /// <summary>Whether the field is called <paramref name="utf8Name"/> in <paramref name="json"/> (the body it was found in).</summary>
    public bool IsNamed(ReadOnlySpan<byte> json, ReadOnlySpan<byte> utf8Name) => NameEscaped
        ? NameIn(json) == Encoding.UTF8.GetString(utf8Name)
        : json[NameStart..NameEnd].SequenceEqual(utf8Name);
}

/// <summary>One message: whether its role is <c>user</c>, and where its content lies (<see cref="ContentKind"/> None when it has none).</summary>
internal readonly record struct MessageSlot(bool IsUser, int ContentStart, int ContentEnd, JsonTokenType ContentKind);
