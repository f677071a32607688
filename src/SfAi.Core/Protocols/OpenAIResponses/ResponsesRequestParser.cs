using System.Text.Json;
using SfAi.Core.Errors;
using SfAi.Core.Protocols.OpenAIChat;

namespace SfAi.Core.Protocols.OpenAIResponses;

/// <summary>
/// Parses and checks a Responses API request body (<c>POST /v1/responses</c>) in one <see cref="Utf8JsonReader"/> pass:
/// JSON syntax, depth 256, no duplicate key at any level; notes where each top-level field lies and reads the few values
/// the gateway acts on (<c>model</c>, <c>stream</c>). Every rejection names the field at fault, as OpenAI does.
/// </summary>
public static class ResponsesRequestParser
{
    /// <exception cref="GatewayException">The body is not a valid Responses API request.</exception>
    public static ResponsesRequest Parse(ReadOnlyMemory<byte> body)
    {
        if (body.IsEmpty)
        {
            throw new GatewayException(GatewayError.BadRequest("The request body is empty: send a JSON object with 'model' and 'input'."));
        }
        if (ChatRequestParser.FirstInvalidUtf8(body.Span) is { } offset)
        {
            throw new GatewayException(GatewayError.BadRequest(
                $"The request body is not valid UTF-8 (an invalid byte sequence at byte offset {offset}); JSON must be encoded as UTF-8 (RFC 8259).",
                code: "invalid_encoding"));
        }

        List<RequestField> fields;
        JsonTokenType root;
        try
        {
            fields = Scan(body.Span, out root);
        }
        catch (JsonException ex)
        {
            throw new GatewayException(GatewayError.BadRequest(
                $"We could not parse the JSON body of your request: {ex.Message} (The OpenAI API expects a JSON payload.)"));
        }
        if (root != JsonTokenType.StartObject)
        {
            throw new GatewayException(GatewayError.BadRequest($"The request body must be a JSON object, but got {Describe(root)}."));
        }

        var json = body.Span;
        RequestField[] top = [.. fields];
        var model = ReadModel(json, top);
        var stream = ReadStream(json, top);
        CheckKind(json, top, "input"u8, "input", "a string or an array of input items", JsonTokenType.String, JsonTokenType.StartArray);
        CheckKind(json, top, "instructions"u8, "instructions", "a string", JsonTokenType.String, JsonTokenType.String);
        CheckKind(json, top, "tools"u8, "tools", "an array", JsonTokenType.StartArray, JsonTokenType.StartArray);
        return new ResponsesRequest(body, top, model, stream);
    }

    private static List<RequestField> Scan(ReadOnlySpan<byte> json, out JsonTokenType root)
    {
        var fields = new List<RequestField>(16);
        var reader = new Utf8JsonReader(json, ChatRequestParser.ReaderOptions);
        var keys = DuplicateKeys.Rent();
        try
        {
            reader.Read();
            root = reader.TokenType;
            var nameStart = 0;
            var nameEnd = 0;
            var nameEscaped = false;
            do
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        keys.Open();
                        break;
                    case JsonTokenType.EndObject:
                        keys.Close();
                        break;
                    case JsonTokenType.PropertyName:
                        keys.Add(json, ref reader);
                        if (reader.CurrentDepth == 1)
                        {
                            nameStart = (int)reader.TokenStartIndex + 1;
                            nameEnd = nameStart + reader.ValueSpan.Length;
                            nameEscaped = reader.ValueIsEscaped;
                        }
                        continue;
                }
                var depth = reader.CurrentDepth;
                var isTopValue = depth == 1 && root == JsonTokenType.StartObject && reader.TokenType is not JsonTokenType.EndObject and not JsonTokenType.EndArray;
                if (isTopValue)
                {
                    var kind = reader.TokenType;
                    var valueStart = (int)reader.TokenStartIndex;
                    if (kind is JsonTokenType.StartObject or JsonTokenType.StartArray)
                    {
                        // Nested values are read token by token below (for the key check); the field ends where its value closes.
                        fields.Add(new RequestField(nameStart, nameEnd, nameEscaped, valueStart, -1, kind));
                    }
                    else
                    {
                        fields.Add(new RequestField(nameStart, nameEnd, nameEscaped, valueStart, (int)reader.BytesConsumed, kind));
                    }
                }
                else if (depth == 1 && reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray && fields.Count > 0 && fields[^1].ValueEnd < 0)
                {
                    fields[^1] = fields[^1] with { ValueEnd = (int)reader.BytesConsumed };
                }
            }
            while (reader.Read());
        }
        finally
        {
            DuplicateKeys.Return(keys);
        }
        return fields;
    }

    private static string ReadModel(ReadOnlySpan<byte> json, RequestField[] fields)
    {
        if (ResponsesRequest.Find(json, fields, "model"u8) is not { } model || model.Kind == JsonTokenType.Null)
        {
            throw new GatewayException(GatewayError.MissingParameter("model"));
        }
        if (model.Kind != JsonTokenType.String)
        {
            throw new GatewayException(GatewayError.InvalidType("model", "a string", Describe(model.Kind)));
        }
        var value = ChatRequest.DecodeString(json[model.Value]);
        return value.Length > 0
            ? value
            : throw new GatewayException(GatewayError.BadRequest("'model' must not be empty.", "model", "invalid_value"));
    }

    private static bool ReadStream(ReadOnlySpan<byte> json, RequestField[] fields) => ResponsesRequest.Find(json, fields, "stream"u8) switch
    {
        null => false,
        { Kind: JsonTokenType.Null or JsonTokenType.False } => false,
        { Kind: JsonTokenType.True } => true,
        { } other => throw new GatewayException(GatewayError.InvalidType("stream", "a boolean", Describe(other.Kind))),
    };

    private static void CheckKind(
        ReadOnlySpan<byte> json, RequestField[] fields, ReadOnlySpan<byte> utf8Name, string name, string expected, JsonTokenType one, JsonTokenType other)
    {
        if (ResponsesRequest.Find(json, fields, utf8Name) is { } field && field.Kind != JsonTokenType.Null && field.Kind != one && field.Kind != other)
        {
            throw new GatewayException(GatewayError.InvalidType(name, expected, Describe(field.Kind)));
        }
    }

    internal static string Describe(JsonTokenType kind) => kind switch
    {
        JsonTokenType.Null => "null",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        _ => "a value",
    };
}
