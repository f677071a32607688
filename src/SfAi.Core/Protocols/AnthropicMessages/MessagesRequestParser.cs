using System.Text.Json;
using SfAi.Core.Errors;
using SfAi.Core.Json;
using SfAi.Core.Protocols.OpenAIChat;

namespace SfAi.Core.Protocols.AnthropicMessages;

/// <summary>
/// Parses and checks a Messages API request body in one <see cref="Utf8JsonReader"/> pass (JSON syntax, depth 256, no
/// key repeated in any object), noting where each top-level field lies and reading <c>model</c>, <c>stream</c>,
/// <c>max_tokens</c> and the shape of <c>messages</c> and <c>system</c>. Every rejection names the field at fault.
/// </summary>
public static class MessagesRequestParser
{
    /// <param name="body">The request body.</param>
    /// <param name="countTokens">A <c>count_tokens</c> request, which has no <c>max_tokens</c> and never streams.</param>
    /// <param name="version">The client's <c>anthropic-version</c> header.</param>
    /// <param name="betas">The client's <c>anthropic-beta</c> values.</param>
    /// <exception cref="GatewayException">The body is not a valid Messages request.</exception>
    public static MessagesRequest Parse(ReadOnlyMemory<byte> body, bool countTokens = false, string? version = null, IReadOnlyList<string>? betas = null)
    {
        if (body.IsEmpty)
        {
            throw Reject("The request body is empty: send a JSON object with 'model', 'messages' and 'max_tokens'.");
        }
        if (ChatRequestParser.FirstInvalidUtf8(body.Span) is { } offset)
        {
            throw Reject($"The request body is not valid UTF-8 (an invalid byte sequence at byte offset {offset}).");
        }

        var fields = new List<RequestField>(12);
        string? model = null;
        bool? stream = null;
        int? maxTokens = null;
        var hasMessages = false;
        try
        {
            DuplicateKeys.Check(body.Span);
            var reader = new Utf8JsonReader(body.Span, ChatRequestParser.ReaderOptions);
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw Reject($"The request body must be a JSON object, but got {Describe(reader.TokenType)}.");
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var nameStart = (int)reader.TokenStartIndex + 1;
                var nameEnd = nameStart + reader.ValueSpan.Length;
                var escaped = reader.ValueIsEscaped;
                var name = reader.GetString()!;
                reader.Read();
                var kind = reader.TokenType;
                var valueStart = (int)reader.TokenStartIndex;
                switch (name)
                {
                    case "model":
                        model = kind == JsonTokenType.String ? reader.GetString() : throw InvalidType(name, "a string", kind);
                        break;
                    case "stream":
                        stream = kind switch
                        {
                            JsonTokenType.True => true,
                            JsonTokenType.False or JsonTokenType.Null => false,
                            _ => throw InvalidType(name, "a boolean", kind),
                        };
                        break;
                    case "max_tokens":
                        maxTokens = kind == JsonTokenType.Number && reader.TryGetInt32(out var tokens) && tokens > 0
                            ? tokens
                            : throw Reject("'max_tokens' must be a whole number greater than 0.", name);
                        break;
                    case "messages":
                        hasMessages = true;
                        CheckMessages(ref reader);
                        break;
                    case "system" when kind is not (JsonTokenType.String or JsonTokenType.StartArray or JsonTokenType.Null):
                        throw InvalidType(name, "a string or an array of text blocks", kind);
                }
                reader.Skip();
                fields.Add(new RequestField(nameStart, nameEnd, escaped, valueStart, (int)reader.BytesConsumed, kind));
            }
            if (reader.Read())
            {
                throw Reject("The request body has data after its JSON object.");
            }
        }
        catch (JsonException ex)
        {
            throw Reject($"The request body is not valid JSON: {ex.Message}");
        }

        if (string.IsNullOrWhiteSpace(model))
        {
            throw Reject(model is null ? "Missing required field: 'model' (the gateway's alias)." : "'model' must not be empty.", "model");
        }
        if (!hasMessages)
        {
            throw Reject("Missing required field: 'messages'.", "messages");
        }
        if (!countTokens && maxTokens is null)
        {
            throw Reject("Missing required field: 'max_tokens'.", "max_tokens");
        }
        return new MessagesRequest(body, [.. fields], model, !countTokens && stream == true, maxTokens) { Version = version, Betas = betas ?? [] };
    }

    /// <summary>Each message is an object with a <c>role</c> of user, assistant or system and a string or array <c>content</c>.</summary>
    private static void CheckMessages(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw InvalidType("messages", "an array", reader.TokenType);
        }
        var index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var path = $"messages[{index}]";
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw InvalidType(path, "an object", reader.TokenType);
            }
            string? role = null;
            var hasContent = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isRole = reader.TextIs("role"u8);
                var isContent = reader.TextIs("content"u8);
                reader.Read();
                if (isRole)
                {
                    role = reader.TokenType == JsonTokenType.String ? reader.GetString() : throw InvalidType($"{path}.role", "a string", reader.TokenType);
                }
                else if (isContent)
                {
                    hasContent = reader.TokenType is JsonTokenType.String or JsonTokenType.StartArray
                        ? true
                        : throw InvalidType($"{path}.content", "a string or an array of content blocks", reader.TokenType);
                }
                reader.Skip();
            }
            if (role is not ("user" or "assistant" or "system"))
            {
                throw Reject(role is null ? $"Missing required field: '{path}.role'." : $"'{path}.role' must be 'user' or 'assistant', not '{role}'.", $"{path}.role");
            }
            if (!hasContent)
            {
                throw Reject($"Missing required field: '{path}.content'.", $"{path}.content");
            }
            index++;
        }
        if (index == 0)
        {
            throw Reject("'messages' must hold at least one message.", "messages");
        }
    }

    private static GatewayException Reject(string message, string? param = null) => new(GatewayError.BadRequest(message, param));

    private static GatewayException InvalidType(string param, string expected, JsonTokenType actual) =>
        new(GatewayError.InvalidType(param, expected, Describe(actual)));

    private static string Describe(JsonTokenType kind) => kind switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => "nothing",
    };
}
