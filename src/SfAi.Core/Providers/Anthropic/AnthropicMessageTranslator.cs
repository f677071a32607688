using System.Text.Json;
using System.Text.Json.Nodes;
using SfAi.Core.Errors;

namespace SfAi.Core.Providers.Anthropic;

/// <summary>
/// OpenAI <c>messages</c> → Anthropic <c>system</c> + <c>messages</c>: system and developer messages (wherever they
/// stand) become system blocks in order; tool results become <c>tool_result</c> blocks in a user turn; consecutive
/// turns of one role are merged so roles alternate; empty text is left out, since Claude rejects it.
/// </summary>
internal static class AnthropicMessageTranslator
{
    public static (JsonArray System, JsonArray Messages) Translate(JsonArray openAIMessages)
    {
        var system = new JsonArray();
        var messages = new JsonArray();
        for (var i = 0; i < openAIMessages.Count; i++)
        {
            var message = openAIMessages[i]!.AsObject();
            var role = message["role"]!.GetValue<string>();
            switch (role)
            {
                case "system" or "developer":
                    foreach (var block in TextBlocks(message["content"], $"messages[{i}].content"))
                    {
                        system.Add(block);
                    }
                    break;
                case "user":
                    Append(messages, "user", UserBlocks(message["content"], $"messages[{i}].content"));
                    break;
                case "assistant":
                    Append(messages, "assistant", AssistantBlocks(message, i));
                    break;
                case "tool":
                    Append(messages, "user", [ToolResult(message, i)]);
                    break;
                default:
                    throw new GatewayException(GatewayError.BadRequest(
                        $"Invalid value for 'messages[{i}].role': '{role}'. Anthropic models take system, developer, user, assistant and tool messages.",
                        $"messages[{i}].role", "invalid_value"));
            }
        }
        TrimFinalAssistantText(messages);
        return (system, messages);
    }

    /// <summary>
    /// Whether the conversation's last assistant turn called tools without the signed thinking that Claude needs back
    /// when thinking is on (clients that do not keep <c>thinking_blocks</c>).
    /// </summary>
    public static bool EndsInToolLoopWithoutThinking(JsonArray messages)
    {
        var lastAssistant = messages.LastOrDefault(m => m!["role"]!.GetValue<string>() == "assistant");
        if (lastAssistant?["content"] is not JsonArray blocks)
        {
            return false;
        }
        var types = blocks.Select(b => (b as JsonObject)?["type"] is JsonValue type && type.GetValueKind() == System.Text.Json.JsonValueKind.String ? type.GetValue<string>() : null).ToList();
        return types.Contains("tool_use") && !types.Contains("thinking") && !types.Contains("redacted_thinking");
    }

    private static void Append(JsonArray messages, string role, List<JsonNode> blocks)
    {
        if (blocks.Count == 0)
        {
            return;
        }
        if (messages.Count > 0 && messages[^1]!["role"]!.GetValue<string>() == role)
        {
            var content = messages[^1]!["content"]!.AsArray();
            foreach (var block in blocks)
            {
                content.Add(block);
            }
            return;
        }
        messages.Add((JsonNode)new JsonObject { ["role"] = role, ["content"] = new JsonArray([.. blocks]) });
    }

    private static List<JsonNode> TextBlocks(JsonNode? content, string path)
    {
        var blocks = new List<JsonNode>();
        switch (content)
        {
            case null:
                break;
            case JsonValue value:
                AddText(blocks, value.GetValue<string>(), null);
                break;
            case JsonArray parts:
                for (var j = 0; j < parts.Count; j++)
                {
                    var part = Part(parts[j], $"{path}[{j}]");
                    var type = PartType(part, $"{path}[{j}]");
                    if (type is not ("text" or "refusal"))
                    {
                        throw Unsupported($"{path}[{j}].type", $"Content parts of type '{type}' are not allowed here; use text.");
                    }
                    AddText(blocks, StringField(part, type, $"{path}[{j}].{type}"), part["cache_control"]);
                }
                break;
        }
        return blocks;
    }

    private static List<JsonNode> UserBlocks(JsonNode? content, string path)
    {
        if (content is not JsonArray parts)
        {
            return TextBlocks(content, path);
        }
        var blocks = new List<JsonNode>();
        for (var j = 0; j < parts.Count; j++)
        {
            var partPath = $"{path}[{j}]";
            var part = Part(parts[j], partPath);
            switch (PartType(part, partPath))
            {
                case "text":
                    AddText(blocks, StringField(part, "text", $"{partPath}.text"), part["cache_control"]);
                    break;
                case "image_url":
                    blocks.Add(WithCacheControl(AnthropicMediaTranslator.Image(part, partPath), part["cache_control"]));
                    break;
                case "file":
                    blocks.Add(WithCacheControl(AnthropicMediaTranslator.Document(part, partPath), part["cache_control"]));
                    break;
                case var other:
                    throw Unsupported($"{partPath}.type", $"Content parts of type '{other}' are not supported by Anthropic models.");
            }
        }
        return blocks;
    }

    private static List<JsonNode> AssistantBlocks(JsonObject message, int index)
    {
        var blocks = new List<JsonNode>();
        if (message["thinking_blocks"] is JsonArray thinking)
        {
            blocks.AddRange(thinking.Where(t => t is JsonObject).Select(t => t!.DeepClone()));
        }
        blocks.AddRange(TextBlocks(message["content"], $"messages[{index}].content"));
        if (message["tool_calls"] is JsonArray calls)
        {
            for (var j = 0; j < calls.Count; j++)
            {
                blocks.Add(ToolUse(calls[j], $"messages[{index}].tool_calls[{j}]"));
            }
        }
        return blocks;
    }

    private static JsonObject ToolUse(JsonNode? node, string path)
    {
        if (node is not JsonObject call || call["function"] is not JsonObject function)
        {
            throw Invalid(path, $"'{path}' must be an object with 'id' and 'function'.");
        }
        var id = StringField(call, "id", $"{path}.id");
        var name = StringField(function, "name", $"{path}.function.name");
        var arguments = function["arguments"] is JsonValue a && a.GetValueKind() == JsonValueKind.String ? a.GetValue<string>() : string.Empty;
        JsonNode? input;
        try
        {
            input = string.IsNullOrWhiteSpace(arguments) ? new JsonObject() : JsonNode.Parse(arguments);
        }
        catch (JsonException)
        {
            throw Invalid($"{path}.function.arguments", $"'{path}.function.arguments' is not valid JSON.");
        }
        if (input is not JsonObject)
        {
            throw Invalid($"{path}.function.arguments", $"'{path}.function.arguments' must be a JSON object.");
        }
        return new JsonObject { ["type"] = "tool_use", ["id"] = id, ["name"] = name, ["input"] = input };
    }

    private static JsonObject ToolResult(JsonObject message, int index)
    {
        var result = new JsonObject
        {
            ["type"] = "tool_result",
            ["tool_use_id"] = StringField(message, "tool_call_id", $"messages[{index}].tool_call_id"),
        };
        var content = message["content"] is JsonArray
            ? UserBlocks(message["content"], $"messages[{index}].content")
            : TextBlocks(message["content"], $"messages[{index}].content");
        if (content.Count > 0)
        {
            result["content"] = new JsonArray([.. content]);
        }
        return result;
    }

    /// <summary>Claude refuses a final (prefilled) assistant turn that ends in white space.</summary>
    private static void TrimFinalAssistantText(JsonArray messages)
    {
        if (messages.Count == 0 || messages[^1]!["role"]!.GetValue<string>() != "assistant")
        {
            return;
        }
        var content = messages[^1]!["content"]!.AsArray();
        if (content.Count > 0 && content[^1] is JsonObject last && IsString(last["type"], "text") && last["text"] is JsonValue text
            && text.GetValueKind() == System.Text.Json.JsonValueKind.String)
        {
            last["text"] = text.GetValue<string>().TrimEnd();
        }
    }

    private static bool IsString(JsonNode? node, string expected) =>
        node is JsonValue value && value.GetValueKind() == System.Text.Json.JsonValueKind.String && value.GetValue<string>() == expected;

    private static void AddText(List<JsonNode> blocks, string text, JsonNode? cacheControl)
    {
        if (!string.IsNullOrWhiteSpace(text))
        {
            blocks.Add(WithCacheControl(new JsonObject { ["type"] = "text", ["text"] = text }, cacheControl));
        }
    }

    private static JsonObject WithCacheControl(JsonObject block, JsonNode? cacheControl)
    {
        if (cacheControl is JsonObject)
        {
            block["cache_control"] = cacheControl.DeepClone();
        }
        return block;
    }

    private static JsonObject Part(JsonNode? node, string path) =>
        node as JsonObject ?? throw Invalid(path, $"'{path}' must be a content part object.");

    private static string PartType(JsonObject part, string path) => StringField(part, "type", $"{path}.type");

    internal static string StringField(JsonObject node, string name, string path) =>
        node[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String
            ? value.GetValue<string>()
            : throw Invalid(path, $"'{path}' must be a string.");

    internal static GatewayException Invalid(string param, string message) => AnthropicRequestTranslator.Invalid(param, message);

    internal static GatewayException Unsupported(string param, string message) => AnthropicRequestTranslator.Unsupported(param, message);
}
