using System.Text.Json;
using SfAi.Core.Errors;
using SfAi.Core.Protocols.OpenAIChat;

namespace SfAi.Core.Protocols;

/// <summary>
/// One <see cref="Utf8JsonReader"/> pass over a request body for a pass-through protocol: checks it as the chat parser
/// does (UTF-8, JSON syntax, depth 256, no duplicate key at any level, an object) and notes where each top-level field
/// lies; the protocol's parser then reads the few fields the gateway acts on.
/// </summary>
internal static class RequestBodyScanner
{
    /// <exception cref="GatewayException">The body is empty, not UTF-8, not JSON, or not an object (a 400 saying which).</exception>
    public static RequestField[] Scan(ReadOnlySpan<byte> body, string expected)
    {
        if (body.IsEmpty)
        {
            throw Reject(GatewayError.BadRequest($"The request body is empty: send a JSON object with {expected}."));
        }
        if (ChatRequestParser.FirstInvalidUtf8(body) is { } offset)
        {
            throw Reject(GatewayError.BadRequest(
                $"The request body is not valid UTF-8 (an invalid byte sequence at byte offset {offset}); JSON must be encoded as UTF-8 (RFC 8259).",
                code: "invalid_encoding"));
        }
        try
        {
            return Fields(body);
        }
        catch (JsonException ex)
        {
            throw Reject(GatewayError.BadRequest(
                $"We could not parse the JSON body of your request: {ex.Message} (The OpenAI API expects a JSON payload.)"));
        }
    }

    private static RequestField[] Fields(ReadOnlySpan<byte> json)
    {
        var fields = new List<RequestField>(8);
        var reader = new Utf8JsonReader(json, ChatRequestParser.ReaderOptions);
        var keys = DuplicateKeys.Rent();
        try
        {
            reader.Read();
            var root = reader.TokenType;
            do
            {
                keys.Track(json, ref reader);
                if (reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.CurrentDepth == 1)
                    {
                        var nameStart = (int)reader.TokenStartIndex + 1;
                        fields.Add(new RequestField(nameStart, nameStart + reader.ValueSpan.Length, reader.ValueIsEscaped, 0, 0, JsonTokenType.None));
                    }
                    continue;
                }
                if (reader.CurrentDepth == 1 && fields.Count > 0)
                {
                    var field = fields[^1];
                    fields[^1] = reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray
                        ? field with { ValueEnd = (int)reader.BytesConsumed }
                        : field with { ValueStart = (int)reader.TokenStartIndex, ValueEnd = (int)reader.BytesConsumed, Kind = reader.TokenType };
                }
            }
            while (reader.Read());
            if (root != JsonTokenType.StartObject)
            {
                throw Reject(GatewayError.BadRequest($"The request body must be a JSON object, but got {Describe(root)}."));
            }
        }
        finally
        {
            DuplicateKeys.Return(keys);
        }
        return [.. fields];
    }

    /// <summary>The string value of <c>model</c>, required and not blank.</summary>
    public static string Model(ReadOnlySpan<byte> json, RequestField? field)
    {
        if (field is not { } model || model.Kind == JsonTokenType.Null)
        {
            throw Reject(GatewayError.MissingParameter("model"));
        }
        if (model.Kind != JsonTokenType.String)
        {
            throw Reject(GatewayError.InvalidType("model", "a string", Describe(model.Kind)));
        }
        var value = ChatRequest.DecodeString(json[model.Value]);
        return string.IsNullOrWhiteSpace(value)
            ? throw Reject(GatewayError.BadRequest("'model' must not be empty.", "model", "invalid_value"))
            : value;
    }

    /// <summary>An optional boolean; absent or null is false.</summary>
    public static bool OptionalBool(RequestField? field, string name) => field switch
    {
        null or { Kind: JsonTokenType.Null or JsonTokenType.False } => false,
        { Kind: JsonTokenType.True } => true,
        { } other => throw Reject(GatewayError.InvalidType(name, "a boolean", Describe(other.Kind))),
    };

    /// <summary>The top-level field called <paramref name="utf8Name"/>, if the client sent it.</summary>
    public static RequestField? Find(ReadOnlySpan<byte> json, RequestField[] fields, ReadOnlySpan<byte> utf8Name)
    {
        foreach (var field in fields)
        {
            if (field.IsNamed(json, utf8Name))
            {
                return field;
            }
        }
        return null;
    }

    public static GatewayException Reject(GatewayError error) => new(error);

    public static string Describe(JsonTokenType kind) => ChatRequestParser.Describe(kind);
}
