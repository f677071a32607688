using System.Text.Json;
using System.Text.Json.Nodes;
using SfAi.Core.Errors;

namespace SfAi.Core.Chat;

/// <summary>
/// Parses and checks a chat completion request body. Every rejection names the field at fault,
/// as OpenAI does, so a client can fix its request from the message alone.
/// </summary>
public static class ChatRequestParser
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 256, AllowDuplicateProperties = false };

    /// <exception cref="GatewayException">The body is not a valid chat completion request.</exception>
    public static ChatRequest Parse(ReadOnlyMemory<byte> body)
    {
        if (body.IsEmpty)
        {
            throw Reject(GatewayError.BadRequest("The request body is empty: send a JSON object with 'model' and 'messages'."));
        }

        if (FirstInvalidUtf8(body.Span) is { } offset)
        {
            throw Reject(GatewayError.BadRequest(
                $"The request body is not valid UTF-8 (an invalid byte sequence at byte offset {offset}); JSON must be encoded as UTF-8 (RFC 8259).",
                code: "invalid_encoding"));
        }

        JsonNode? root;
        try
        {
            root = JsonNode.Parse(body.Span, documentOptions: DocumentOptions);
        }
        catch (JsonException ex)
        {
            throw Reject(GatewayError.BadRequest(
                $"We could not parse the JSON body of your request: {ex.Message} (The OpenAI API expects a JSON payload.)"));
        }

        if (root is not JsonObject request)
        {
            throw Reject(GatewayError.BadRequest(
                $"The request body must be a JSON object, but got {Describe(root)}."));
        }

        var model = ReadModel(request);
        var messages = ReadMessages(request);
        var stream = ReadOptionalBool(request, "stream");
        var includeUsage = stream && request["stream_options"] is JsonObject options
            && options["include_usage"] is JsonValue usage && usage.GetValueKind() == JsonValueKind.True;
        if (request.TryGetPropertyValue("stream_options", out var streamOptions)
            && streamOptions is not null && streamOptions is not JsonObject)
        {
            throw Reject(GatewayError.InvalidType("stream_options", "an object", Describe(streamOptions)));
        }

        return new ChatRequest(request, model, stream, includeUsage, messages);
    }

    /// <summary>The offset of the first byte that is not part of a valid UTF-8 sequence, or null when all are.</summary>
    public static long? FirstInvalidUtf8(ReadOnlySpan<byte> body)
    {
        if (System.Text.Unicode.Utf8.IsValid(body))
        {
            return null;
        }
        Span<char> scratch = stackalloc char[512];
        long offset = 0;
        while (true)
        {
            var status = System.Text.Unicode.Utf8.ToUtf16(body, scratch, out var read, out _, replaceInvalidSequences: false);
            offset += read;
            if (status != System.Buffers.OperationStatus.DestinationTooSmall)
            {
                return offset;
            }
            body = body[read..];
        }
    }

    private static string ReadModel(JsonObject request)
    {
        if (!request.TryGetPropertyValue("model", out var node) || node is null)
        {
            throw Reject(GatewayError.MissingParameter("model"));
        }
        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.String)
        {
            throw Reject(GatewayError.InvalidType("model", "a string", Describe(node)));
        }
        var model = value.GetValue<string>();
        if (string.IsNullOrWhiteSpace(model))
        {
            throw Reject(GatewayError.BadRequest("'model' must not be empty.", "model", "invalid_value"));
        }
        return model;
    }

    private static JsonArray ReadMessages(JsonObject request)
    {
        if (!request.TryGetPropertyValue("messages", out var node) || node is null)
        {
            throw Reject(GatewayError.MissingParameter("messages"));
        }
        if (node is not JsonArray messages)
        {
            throw Reject(GatewayError.InvalidType("messages", "an array", Describe(node)));
        }
        if (messages.Count == 0)
        {
            throw Reject(GatewayError.BadRequest(
                "Invalid 'messages': empty array. Expected an array with minimum length 1.", "messages", "empty_array"));
        }

        for (var i = 0; i < messages.Count; i++)
        {
            CheckMessage(messages[i], i);
        }
        return messages;
    }

    private static void CheckMessage(JsonNode? node, int index)
    {
        var path = $"messages[{index}]";
        if (node is not JsonObject message)
        {
            throw Reject(GatewayError.InvalidType(path, "an object", Describe(node)));
        }
        if (!message.TryGetPropertyValue("role", out var role) || role is null)
        {
            throw Reject(GatewayError.MissingParameter($"{path}.role"));
        }
        if (role is not JsonValue roleValue || roleValue.GetValueKind() != JsonValueKind.String)
        {
            throw Reject(GatewayError.InvalidType($"{path}.role", "a string", Describe(role)));
        }
        if (message.TryGetPropertyValue("content", out var content)
            && content is not null && content is not JsonArray
            && (content is not JsonValue contentValue || contentValue.GetValueKind() != JsonValueKind.String))
        {
            throw Reject(GatewayError.InvalidType($"{path}.content", "a string or an array of content parts", Describe(content)));
        }
    }

    private static bool ReadOptionalBool(JsonObject request, string name)
    {
        if (!request.TryGetPropertyValue(name, out var node) || node is null)
        {
            return false;
        }
        return node is JsonValue value && value.GetValueKind() is JsonValueKind.True or JsonValueKind.False
            ? value.GetValue<bool>()
            : throw Reject(GatewayError.InvalidType(name, "a boolean", Describe(node)));
    }

    private static GatewayException Reject(GatewayError error) => new(error);

    internal static string Describe(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "an object",
        JsonArray => "an array",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            JsonValueKind.True or JsonValueKind.False => "a boolean",
            _ => "a value",
        },
        _ => "a value",
    };
}
