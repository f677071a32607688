using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SfAi.Core.Json;
using SfAi.Core.Protocols.OpenAIChat;

namespace SfAi.Core.Protocols.AnthropicMessages;

/// <summary>
/// A Messages request as the pivot (an OpenAI chat request), for a provider that does not speak Messages. System text
/// (top-level and mid-conversation) becomes system messages in place; text, images and documents become content parts;
/// <c>tool_use</c>/<c>tool_result</c> become <c>tool_calls</c> and <c>tool</c> messages with their ids; tools with an
/// <c>input_schema</c> become function tools. Thinking blocks are left out (a model of another vendor cannot read
/// their signatures, and they are never sent as text), as are the beta-only fields no OpenAI model honours
/// (<c>cache_control</c>, <c>context_management</c>) and <c>top_k</c>. Lenient by design: the parser checked the
/// shape, and whatever block the pivot has no form for is left out rather than refused.
/// </summary>
public static class MessagesToChat
{
    /// <summary>The top-level fields the pivot carries (some in part: <c>metadata</c> as its <c>user_id</c>).</summary>
    private static readonly HashSet<string> Carried = new(StringComparer.Ordinal)
    {
        "model", "messages", "system", "max_tokens", "temperature", "top_p", "stop_sequences", "stream", "tools", "tool_choice", "metadata",
    };

    /// <summary>
    /// The top-level fields the client set that the pivot leaves out (<c>top_k</c>, <c>thinking</c>,
    /// <c>context_management</c>, …), for the log's <c>droppedParameters</c>: a translated call never drops a setting
    /// silently.
    /// </summary>
    public static IReadOnlyList<string> LeftOut(MessagesRequest request) =>
        [.. request.Fields.Where(field => field.Kind != System.Text.Json.JsonTokenType.Null)
            .Select(field => request.NameOf(field))
            .Where(name => !Carried.Contains(name))];

    public static JsonObject ToChatBody(JsonObject messages, string model, bool stream)
    {
        var chat = new JsonObject { ["model"] = model };
        var conversation = new JsonArray();
        if (Text(messages["system"]) is { Length: > 0 } system)
        {
            conversation.Add((JsonNode?)new JsonObject { ["role"] = "system", ["content"] = system });
        }
        foreach (var node in messages["messages"] as JsonArray ?? [])
        {
            if (node is JsonObject message)
            {
                AddMessage(message, conversation);
            }
        }
        chat["messages"] = conversation;
        if (Number(messages["max_tokens"]) is { } maxTokens)
        {
            chat["max_tokens"] = maxTokens.DeepClone();
        }
        foreach (var name in new[] { "temperature", "top_p" })
        {
            if (Number(messages[name]) is { } value)
            {
                chat[name] = value.DeepClone();
            }
        }
        if (messages["stop_sequences"] is JsonArray { Count: > 0 } stops)
        {
            chat["stop"] = stops.DeepClone();
        }
        if (stream)
        {
            chat["stream"] = true;
            chat["stream_options"] = new JsonObject { ["include_usage"] = true };
        }
        if (Tools(messages["tools"]) is { Count: > 0 } tools)
        {
            chat["tools"] = tools;
            AddToolChoice(messages["tool_choice"] as JsonObject, chat);
        }
        if (Field(messages["metadata"], "user_id") is JsonValue user && user.GetValueKind() == JsonValueKind.String)
        {
            chat["user"] = user.GetValue<string>();
        }
        return chat;
    }

    private static void AddMessage(JsonObject message, JsonArray conversation)
    {
        var role = message["role"]?.GetValue<string>();
        var content = message["content"];
        switch (role)
        {
            case "system":
                conversation.Add((JsonNode?)new JsonObject { ["role"] = "system", ["content"] = Text(content) ?? string.Empty });
                break;
            case "assistant":
                AddAssistant(content, conversation);
                break;
            default:
                AddUser(content, conversation);
                break;
        }
    }

    /// <summary>A user turn: its tool results first, as <c>tool</c> messages (OpenAI wants them right after the calls), then its other blocks.</summary>
    private static void AddUser(JsonNode? content, JsonArray conversation)
    {
        if (content is not JsonArray blocks)
        {
            conversation.Add((JsonNode?)new JsonObject { ["role"] = "user", ["content"] = Text(content) ?? string.Empty });
            return;
        }
        var parts = new JsonArray();
        var toolResults = 0;
        foreach (var block in blocks.OfType<JsonObject>())
        {
            switch (TypeOf(block))
            {
                case "tool_result":
                    toolResults++;
                    conversation.Add((JsonNode?)new JsonObject
                    {
                        ["role"] = "tool",
                        ["tool_call_id"] = StringOf(block["tool_use_id"]) ?? string.Empty,
                        ["content"] = ToolResultText(block),
                    });
                    break;
                case "text":
                    parts.Add((JsonNode?)new JsonObject { ["type"] = "text", ["text"] = StringOf(block["text"]) ?? string.Empty });
                    break;
                case "image" when ImageUrl(block["source"]) is { } url:
                    parts.Add((JsonNode?)new JsonObject { ["type"] = "image_url", ["image_url"] = new JsonObject { ["url"] = url } });
                    break;
                case "document" when Document(block) is { } document:
                    parts.Add((JsonNode?)document);
                    break;
            }
        }
        if (parts.Count == 0)
        {
            if (toolResults == 0)
            {
                conversation.Add((JsonNode?)new JsonObject { ["role"] = "user", ["content"] = string.Empty });
            }
            return;
        }
        var allText = parts.All(part => StringOf(part!["type"]) == "text");
        conversation.Add((JsonNode?)new JsonObject
        {
            ["role"] = "user",
            ["content"] = allText ? string.Join("\n", parts.Select(part => StringOf(part!["text"]))) : parts,
        });
    }

    private static void AddAssistant(JsonNode? content, JsonArray conversation)
    {
        if (content is not JsonArray blocks)
        {
            conversation.Add((JsonNode?)new JsonObject { ["role"] = "assistant", ["content"] = Text(content) ?? string.Empty });
            return;
        }
        var text = new StringBuilder();
        var calls = new JsonArray();
        foreach (var block in blocks.OfType<JsonObject>())
        {
            switch (TypeOf(block))
            {
                case "text":
                    text.Append(StringOf(block["text"]));
                    break;
                case "tool_use":
                    calls.Add((JsonNode?)new JsonObject
                    {
                        ["id"] = StringOf(block["id"]) ?? string.Empty,
                        ["type"] = "function",
                        ["function"] = new JsonObject
                        {
                            ["name"] = StringOf(block["name"]) ?? string.Empty,
                            ["arguments"] = block["input"]?.ToJsonString() ?? "{}",
                        },
                    });
                    break;
            }
        }
        var message = new JsonObject { ["role"] = "assistant", ["content"] = text.Length > 0 || calls.Count == 0 ? text.ToString() : null };
        if (calls.Count > 0)
        {
            message["tool_calls"] = calls;
        }
        conversation.Add((JsonNode?)message);
    }

    private static string ToolResultText(JsonObject block)
    {
        var text = Text(block["content"]) ?? string.Empty;
        return block["is_error"] is JsonValue isError && isError.GetValueKind() == JsonValueKind.True ? "Error: " + text : text;
    }

    /// <summary>A string, or the text of an array of blocks (text joined by new lines; an image named as one).</summary>
    private static string? Text(JsonNode? content)
    {
        if (content is JsonValue value && value.GetValueKind() == JsonValueKind.String)
        {
            return value.GetValue<string>();
        }
        if (content is not JsonArray blocks)
        {
            return null;
        }
        var texts = new List<string>();
        foreach (var block in blocks.OfType<JsonObject>())
        {
            switch (TypeOf(block))
            {
                case "text":
                    texts.Add(StringOf(block["text"]) ?? string.Empty);
                    break;
                case "image":
                    texts.Add("[image]");
                    break;
            }
        }
        return string.Join("\n", texts);
    }

    private static string? ImageUrl(JsonNode? source) => StringOf(Field(source, "type")) switch
    {
        "base64" => $"data:{StringOf(Field(source, "media_type"))};base64,{StringOf(Field(source, "data"))}",
        "url" => StringOf(Field(source, "url")),
        _ => null,
    };

    private static JsonObject? Document(JsonObject block)
    {
        var source = block["source"];
        return StringOf(Field(source, "type")) switch
        {
            "text" => new JsonObject { ["type"] = "text", ["text"] = StringOf(Field(source, "data")) ?? string.Empty },
            "base64" => new JsonObject
            {
                ["type"] = "file",
                ["file"] = new JsonObject
                {
                    ["filename"] = StringOf(block["title"]) ?? "document.pdf",
                    ["file_data"] = $"data:{StringOf(Field(source, "media_type"))};base64,{StringOf(Field(source, "data"))}",
                },
            },
            _ => null,
        };
    }

    /// <summary>Client tools (those with an <c>input_schema</c>) as function tools; Anthropic's server tools have no OpenAI form.</summary>
    private static JsonArray? Tools(JsonNode? tools)
    {
        if (tools is not JsonArray list)
        {
            return null;
        }
        var functions = new JsonArray();
        foreach (var tool in list.OfType<JsonObject>())
        {
            if (tool["input_schema"] is not JsonObject schema)
            {
                continue;
            }
            var function = new JsonObject { ["name"] = StringOf(tool["name"]) ?? string.Empty };
            if (StringOf(tool["description"]) is { } description)
            {
                function["description"] = description;
            }
            function["parameters"] = schema.DeepClone();
            functions.Add((JsonNode?)new JsonObject { ["type"] = "function", ["function"] = function });
        }
        return functions;
    }

    private static void AddToolChoice(JsonObject? choice, JsonObject chat)
    {
        if (choice is null)
        {
            return;
        }
        JsonNode? openAI = StringOf(choice["type"]) switch
        {
            "auto" => "auto",
            "any" => "required",
            "none" => "none",
            "tool" => new JsonObject { ["type"] = "function", ["function"] = new JsonObject { ["name"] = StringOf(choice["name"]) ?? string.Empty } },
            _ => null,
        };
        if (openAI is not null)
        {
            chat["tool_choice"] = openAI;
        }
        if (choice["disable_parallel_tool_use"] is JsonValue disable && disable.GetValueKind() == JsonValueKind.True)
        {
            chat["parallel_tool_calls"] = false;
        }
    }

    private static string? TypeOf(JsonObject block) => StringOf(block["type"]);

    /// <summary>A field of an object; null when the node is no object.</summary>
    private static JsonNode? Field(JsonNode? node, string name) => node is JsonObject o ? o[name] : null;

    private static string? StringOf(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    private static JsonNode? Number(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number ? node : null;
}
