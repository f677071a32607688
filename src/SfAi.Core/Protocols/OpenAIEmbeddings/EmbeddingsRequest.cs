using SfAi.Core.Protocols.OpenAIChat;

namespace SfAi.Core.Protocols.OpenAIEmbeddings;

/// <summary>An OpenAI embeddings request (<c>POST /v1/embeddings</c>), checked once; the body goes upstream as the client sent it.</summary>
public sealed class EmbeddingsRequest : PassThroughRequest
{
    internal EmbeddingsRequest(ReadOnlyMemory<byte> json, RequestField[] fields, string model, TextInputs input, bool base64, int? dimensions)
        : base(json, fields, model, input)
    {
        Base64 = base64;
        Dimensions = dimensions;
    }

    public override WireProtocol Protocol => WireProtocol.OpenAIEmbeddings;

    public override bool Stream => false;

    /// <summary>Whether the client asked for <c>encoding_format: "base64"</c> (little-endian float32s) rather than float arrays.</summary>
    public bool Base64 { get; }

    /// <summary>The <c>dimensions</c> the client asked for, if any.</summary>
    public int? Dimensions { get; }

    protected override string Endpoint => "POST /v1/embeddings";
}
