using System.Text.Json;
using SfAi.Core.Errors;
using SfAi.Core.Protocols.OpenAIChat;

namespace SfAi.Core.Protocols.OpenAIEmbeddings;

/// <summary>Parses and checks an embeddings request; every rejection names the field at fault, as OpenAI does.</summary>
public static class EmbeddingsRequestParser
{
    /// <summary>OpenAI's limit on the items of one request's <c>input</c>.</summary>
    public const int MaxInputs = 2048;

    /// <exception cref="GatewayException">The body is not a valid embeddings request.</exception>
    public static EmbeddingsRequest Parse(ReadOnlyMemory<byte> body)
    {
        var fields = RequestBodyScanner.Scan(body.Span, "'model' and 'input'");
        var json = body.Span;
        var model = RequestBodyScanner.Model(json, RequestBodyScanner.Find(json, fields, "model"u8));
        if (RequestBodyScanner.Find(json, fields, "input"u8) is not { Kind: not JsonTokenType.Null } input)
        {
            throw RequestBodyScanner.Reject(GatewayError.MissingParameter("input"));
        }
        var inputs = TextInputs.Read(body, input, "input", MaxInputs);
        return new EmbeddingsRequest(body, fields, model, inputs,
            ReadBase64(json, RequestBodyScanner.Find(json, fields, "encoding_format"u8)),
            ReadDimensions(json, RequestBodyScanner.Find(json, fields, "dimensions"u8)));
    }

    private static bool ReadBase64(ReadOnlySpan<byte> json, RequestField? field)
    {
        if (field is not { } format || format.Kind == JsonTokenType.Null)
        {
            return false;
        }
        var value = format.Kind == JsonTokenType.String ? ChatRequest.DecodeString(json[format.Value]) : null;
        return value switch
        {
            "float" => false,
            "base64" => true,
            _ => throw RequestBodyScanner.Reject(GatewayError.BadRequest(
                $"Invalid 'encoding_format': {(value is null ? RequestBodyScanner.Describe(format.Kind) : $"'{value}'")}. Expected 'float' or 'base64'.",
                "encoding_format", "invalid_value")),
        };
    }

    private static int? ReadDimensions(ReadOnlySpan<byte> json, RequestField? field)
    {
        if (field is not { } dimensions || dimensions.Kind == JsonTokenType.Null)
        {
            return null;
        }
        var reader = new Utf8JsonReader(json[dimensions.Value]);
        reader.Read();
        return reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var value) && value > 0
            ? value
            : throw RequestBodyScanner.Reject(GatewayError.BadRequest(
                $"Invalid 'dimensions': expected a positive integer, but got {System.Text.Encoding.UTF8.GetString(json[dimensions.Value])}.",
                "dimensions", "invalid_value"));
    }
}
