using SfAi.Core.Errors;
using SfAi.Core.Protocols.OpenAIChat;

namespace SfAi.Core.Protocols;

/// <summary>
/// A request with no chat form (embeddings, legacy completions): only a provider that speaks its protocol serves it, and
/// the log and the token guard read its <see cref="Input"/> where they would read a conversation.
/// </summary>
public abstract class PassThroughRequest : InboundRequest, IClientFields
{
    private readonly ReadOnlyMemory<byte> _json;
    private readonly RequestField[] _fields;

    private protected PassThroughRequest(ReadOnlyMemory<byte> json, RequestField[] fields, string model, TextInputs input)
    {
        _json = json;
        _fields = fields;
        Model = model;
        Input = input;
    }

    public override string Model { get; }

    /// <summary>What the client sent to embed or to complete: its items, their count and total length.</summary>
    public TextInputs Input { get; }

    /// <summary>The endpoint, for the 400 of a provider that would need the chat form.</summary>
    protected abstract string Endpoint { get; }

    /// <summary>There is none: a provider that does not speak the protocol cannot serve the request.</summary>
    public override ChatRequest Chat => throw new GatewayException(GatewayError.BadRequest(
        $"{Endpoint} has no chat form: the model '{Model}' must be served by a provider with that endpoint.",
        "model", "model_kind_mismatch"));

    public virtual bool ClientWantsUsage => false;

    ReadOnlySpan<byte> IClientFields.Json => _json.Span;

    RequestField[] IClientFields.Fields => _fields;

    string IClientFields.NameOf(in RequestField field) => field.NameIn(_json.Span);

    bool IClientFields.IsNamed(in RequestField field, ReadOnlySpan<byte> utf8Name) => field.IsNamed(_json.Span, utf8Name);
}
