using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SfAi.Core.Protocols.OpenAIChat;

namespace SfAi.Core.Protocols.OpenAIResponses;

/// <summary>
/// A Responses API request, checked once (<see cref="ResponsesRequestParser"/>): the client's bytes, where each
/// top-level field lies in them, the alias and whether it streams. An OpenAI alias gets the bytes with only <c>model</c>
/// rewritten; any other gets <see cref="Chat"/>, the request as the pivot (<see cref="ResponsesToChat"/>), built on first use.
/// </summary>
public sealed class ResponsesRequest : InboundRequest
{
    private readonly ReadOnlyMemory<byte> _json;
    private JsonObject? _body;
    private ResponsesTranslation? _translation;

    internal ResponsesRequest(ReadOnlyMemory<byte> json, RequestField[] fields, string model, bool stream)
    {
        _json = json;
        Fields = fields;
        Model = model;
        Stream = stream;
    }

    public override WireProtocol Protocol => WireProtocol.OpenAIResponses;

    public override string Model { get; }

    public override bool Stream { get; }

    /// <summary>The request as an OpenAI chat request, for a provider that does not speak the Responses API.</summary>
    public override ChatRequest Chat => Translation.Chat;

    public override IReadOnlyList<string> DroppedInTranslation => Translation.Dropped;

    /// <summary>The pivot with what the way back needs (the tools' original names) and what it left out.</summary>
    public ResponsesTranslation Translation => _translation ??= ResponsesToChat.Translate(this);

    /// <summary>The request as a tree, built on first use (translation only); nothing mutates it.</summary>
    public JsonObject Body => _body ??= ChatRequestParser.Tree(_json.Span);

    internal ReadOnlySpan<byte> Json => _json.Span;

    /// <summary>The top-level fields, in the client's order.</summary>
    internal RequestField[] Fields { get; }
}
