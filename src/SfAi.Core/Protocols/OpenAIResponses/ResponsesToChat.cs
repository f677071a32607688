using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SfAi.Core.Json;
using SfAi.Core.Protocols.OpenAIChat;

namespace SfAi.Core.Protocols.OpenAIResponses;

/// <summary>
/// A Responses API request → the pivot (an OpenAI chat request), for an alias whose provider does not speak the
/// Responses API. Lenient by design: what chat cannot express (built-in tools, hosted items) is left out and named in
/// <see cref="ResponsesTranslation.Dropped"/>; reasoning items are never sent as text the model did not write. The
/// mapping table is in <c>docs/responses.md</c>.
/// </summary>
public static class ResponsesToChat
{
    /// <summary>Joins a namespace and a function into the one name the upstream knows (<c>mcp__fs</c> + <c>read</c> → <c>mcp__fs__read</c>).</summary>
    public const string NamespaceSeparator = "__";

    public static ResponsesTranslation Translate(ResponsesRequest request)
    {
        var body = request.Body;
        var dropped = new List<string>();
        var messages = Messages(body, dropped);
        var hasInput = messages.Exists(message => message.Role != "system");
        if (!hasInput)
        {
            messages.Add(new ChatMessage("user") { Text = string.Empty });
        }
        var namespaced = new Dictionary<string, QualifiedTool>(StringComparer.Ordinal);
        var tools = Tools(body["tools"], namespaced, dropped);
        var chat = JsonWriting.Write((request, body, messages, tools, namespaced), static (writer, state) =>
        {
            var (request, body, messages, tools, namespaced) = state;
            writer.WriteStartObject();
            writer.WriteString("model", request.Model);
            writer.WriteStartArray("messages");
            foreach (var message in messages)
            {
                message.WriteTo(writer);
            }
            writer.WriteEndArray();
            if (request.Stream)
            {
                writer.WriteBoolean("stream", true);
                writer.WriteStartObject("stream_options");
                writer.WriteBoolean("include_usage", true);
                writer.WriteEndObject();
            }
            if (tools.Count > 0)
            {
                writer.WriteStartArray("tools");
                foreach (var tool in tools)
                {
                    tool.WriteTo(writer);
                }
                writer.WriteEndArray();
                WriteToolChoice(writer, body["tool_choice"], namespaced);
                Copy(writer, body, "parallel_tool_calls", "parallel_tool_calls");
            }
            Copy(writer, body, "max_output_tokens", "max_tokens");
            Copy(writer, body, "temperature", "temperature");
            Copy(writer, body, "top_p", "top_p");
            if (body["reasoning"] is JsonObject reasoning && reasoning["effort"] is JsonValue effort && effort.GetValueKind() == JsonValueKind.String)
            {
                writer.WritePropertyName("reasoning_effort");
                effort.WriteTo(writer);
            }
            WriteResponseFormat(writer, body["text"]);
            foreach (var name in (ReadOnlySpan<string>)["user", "safety_identifier", "prompt_cache_key"])
            {
                if (body[name] is JsonValue user && user.GetValueKind() == JsonValueKind.String)
                {
                    writer.WritePropertyName("user");
                    user.WriteTo(writer);
                    break;
                }
            }
            writer.WriteEndObject();
        });
        return new ResponsesTranslation(ChatRequestParser.ParsePivot(chat), namespaced, dropped, hasInput);
    }

    private static List<ChatMessage> Messages(JsonObject body, List<string> dropped)
    {
        var messages = new List<ChatMessage>();
        if (body["instructions"] is JsonValue instructions && instructions.GetValueKind() == JsonValueKind.String)
        {
            messages.Add(new ChatMessage("system") { Text = instructions.GetValue<string>() });
        }
        switch (body["input"])
        {
            case JsonValue text when text.GetValueKind() == JsonValueKind.String:
                messages.Add(new ChatMessage("user") { Text = text.GetValue<string>() });
                break;
            case JsonArray items:
                foreach (var item in items)
                {
                    AddItem(messages, item, dropped);
                }
                break;
        }
        return messages;
    }

    private static void AddItem(List<ChatMessage> messages, JsonNode? node, List<string> dropped)
    {
        if (node is not JsonObject item)
        {
            dropped.Add("input[non-object]");
            return;
        }
        var type = String(item["type"]) ?? (item["role"] is not null ? "message" : null);
        switch (type)
        {
            case "message":
                AddMessage(messages, item, dropped);
                break;
            case "function_call":
                var name = String(item["name"]) ?? string.Empty;
                if (String(item["namespace"]) is { } ns)
                {
                    name = ns + NamespaceSeparator + name;
                }
                var call = new ToolCall(String(item["call_id"]) ?? String(item["id"]) ?? string.Empty, name, Arguments(item["arguments"]));
                if (messages.Count > 0 && messages[^1] is { Role: "assistant" } assistant)
                {
                    assistant.ToolCalls.Add(call);
                }
                else
                {
                    messages.Add(new ChatMessage("assistant") { ToolCalls = { call } });
                }
                break;
            case "function_call_output":
                messages.Add(new ChatMessage("tool") { ToolCallId = String(item["call_id"]) ?? string.Empty, Text = OutputText(item["output"]) });
                break;
            case "reasoning":
                // The model's own reasoning (often encrypted for another provider) is context no other model can read; never sent as text.
                break;
            default:
                dropped.Add($"input[{type ?? "untyped"}]");
                break;
        }
    }

    private static void AddMessage(List<ChatMessage> messages, JsonObject item, List<string> dropped)
    {
        var role = String(item["role"]) switch
        {
            "developer" or "system" => "system",
            "assistant" => "assistant",
            _ => "user",
        };
        var message = new ChatMessage(role);
        switch (item["content"])
        {
            case JsonValue text when text.GetValueKind() == JsonValueKind.String:
                message.Text = text.GetValue<string>();
                break;
            case JsonArray parts when role == "user":
                foreach (var part in parts)
                {
                    if (UserPart(part) is { } translated)
                    {
                        message.Parts.Add(translated);
                    }
                    else
                    {
                        dropped.Add($"input.content[{String(part?["type"]) ?? "untyped"}]");
                    }
                }
                break;
            case JsonArray parts:
                message.Text = JoinText(parts);
                break;
        }
        if (role == "assistant" && messages.Count > 0 && messages[^1] is { Role: "assistant", ToolCalls.Count: 0 } previous)
        {
            previous.Text = previous.Text + message.Text;
            return;
        }
        messages.Add(message);
    }

    /// <summary>A user content part as chat's, or null when chat has none for it (a file by id).</summary>
    private static JsonObject? UserPart(JsonNode? node)
    {
        if (node is not JsonObject part)
        {
            return null;
        }
        switch (String(part["type"]))
        {
            case "input_text" or "output_text" or "text":
                return new JsonObject { ["type"] = "text", ["text"] = String(part["text"]) ?? string.Empty };
            case "input_image" when String(part["image_url"]) is { } url:
                var image = new JsonObject { ["url"] = url };
                if (String(part["detail"]) is { } detail)
                {
                    image["detail"] = detail;
                }
                return new JsonObject { ["type"] = "image_url", ["image_url"] = image };
            case "input_file" when String(part["file_data"]) is { } data:
                var file = new JsonObject { ["file_data"] = data };
                if (String(part["filename"]) is { } filename)
                {
                    file["filename"] = filename;
                }
                return new JsonObject { ["type"] = "file", ["file"] = file };
            default:
                return null;
        }
    }

    private static List<JsonObject> Tools(JsonNode? node, Dictionary<string, QualifiedTool> namespaced, List<string> dropped)
    {
        var tools = new List<JsonObject>();
        if (node is not JsonArray array)
        {
            return tools;
        }
        foreach (var entry in array)
        {
            var type = String(entry?["type"]);
            if (entry is JsonObject tool && type == "function")
            {
                tools.Add(Function(tool, String(tool["name"]) ?? string.Empty));
            }
            else if (entry is JsonObject space && type == "namespace" && String(space["name"]) is { } ns && space["tools"] is JsonArray functions)
            {
                foreach (var function in functions.OfType<JsonObject>().Where(f => String(f["type"]) is null or "function"))
                {
                    var name = String(function["name"]) ?? string.Empty;
                    var qualified = ns + NamespaceSeparator + name;
                    namespaced[qualified] = new QualifiedTool(ns, name);
                    tools.Add(Function(function, qualified));
                }
            }
            else
            {
                dropped.Add($"tools[{type ?? "untyped"}]");
            }
        }
        return tools;
    }

    private static JsonObject Function(JsonObject tool, string name)
    {
        var function = new JsonObject { ["name"] = name };
        foreach (var field in (ReadOnlySpan<string>)["description", "parameters", "strict"])
        {
            if (tool[field] is { } value)
            {
                function[field] = value.DeepClone();
            }
        }
        return new JsonObject { ["type"] = "function", ["function"] = function };
    }

    private static void WriteToolChoice(Utf8JsonWriter writer, JsonNode? choice, Dictionary<string, QualifiedTool> namespaced)
    {
        switch (choice)
        {
            case JsonValue mode when String(mode) is "auto" or "none" or "required":
                writer.WritePropertyName("tool_choice");
                mode.WriteTo(writer);
                break;
            case JsonObject named when String(named["type"]) == "function" && String(named["name"]) is { } name:
                if (String(named["namespace"]) is { } ns)
                {
                    name = ns + NamespaceSeparator + name;
                }
                writer.WriteStartObject("tool_choice");
                writer.WriteString("type", "function");
                writer.WriteStartObject("function");
                writer.WriteString("name", name);
                writer.WriteEndObject();
                writer.WriteEndObject();
                break;
        }
    }

    private static void WriteResponseFormat(Utf8JsonWriter writer, JsonNode? text)
    {
        if (text?["format"] is not JsonObject format)
        {
            return;
        }
        switch (String(format["type"]))
        {
            case "json_object":
                writer.WriteStartObject("response_format");
                writer.WriteString("type", "json_object");
                writer.WriteEndObject();
                break;
            case "json_schema":
                writer.WriteStartObject("response_format");
                writer.WriteString("type", "json_schema");
                writer.WriteStartObject("json_schema");
                foreach (var (name, value) in format)
                {
                    if (name != "type")
                    {
                        writer.WritePropertyName(name);
                        Write(writer, value);
                    }
                }
                writer.WriteEndObject();
                writer.WriteEndObject();
                break;
        }
    }

    private static void Copy(Utf8JsonWriter writer, JsonObject body, string from, string to)
    {
        if (body[from] is JsonValue value)
        {
            writer.WritePropertyName(to);
            value.WriteTo(writer);
        }
    }

    private static void Write(Utf8JsonWriter writer, JsonNode? value)
    {
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            value.WriteTo(writer);
        }
    }

    private static string Arguments(JsonNode? arguments) => arguments switch
    {
        JsonValue text when text.GetValueKind() == JsonValueKind.String => text.GetValue<string>(),
        null => "{}",
        _ => arguments.ToJsonString(),
    };

    private static string OutputText(JsonNode? output) => output switch
    {
        JsonValue text when text.GetValueKind() == JsonValueKind.String => text.GetValue<string>(),
        JsonArray parts => JoinText(parts),
        null => string.Empty,
        _ => output.ToJsonString(),
    };

    private static string JoinText(JsonArray parts)
    {
        var text = new StringBuilder();
        foreach (var part in parts)
        {
            if (String(part?["text"]) is { } piece)
            {
                text.Append(piece);
            }
            else if (String(part?["refusal"]) is { } refusal)
            {
                text.Append(refusal);
            }
        }
        return text.ToString();
    }

    internal static string? String(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    /// <summary>One chat message being built: its text or content parts, or its tool calls, or the tool result it carries.</summary>
    private sealed class ChatMessage(string role)
    {
        public string Role { get; } = role;

        public string? Text { get; set; }

        public List<JsonObject> Parts { get; } = [];

        public List<ToolCall> ToolCalls { get; init; } = [];

        public string? ToolCallId { get; init; }

        public void WriteTo(Utf8JsonWriter writer)
        {
            writer.WriteStartObject();
            writer.WriteString("role", Role);
            if (ToolCallId is not null)
            {
                writer.WriteString("tool_call_id", ToolCallId);
            }
            if (Parts.Count > 0)
            {
                writer.WriteStartArray("content");
                foreach (var part in Parts)
                {
                    part.WriteTo(writer);
                }
                writer.WriteEndArray();
            }
            else if (Text is not null || ToolCalls.Count == 0)
            {
                writer.WriteString("content", Text ?? string.Empty);
            }
            else
            {
                writer.WriteNull("content");
            }
            if (ToolCalls.Count > 0)
            {
                writer.WriteStartArray("tool_calls");
                foreach (var call in ToolCalls)
                {
                    writer.WriteStartObject();
                    writer.WriteString("id", call.Id);
                    writer.WriteString("type", "function");
                    writer.WriteStartObject("function");
                    writer.WriteString("name", call.Name);
                    writer.WriteString("arguments", call.Arguments);
                    writer.WriteEndObject();
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
            }
            writer.WriteEndObject();
        }
    }

    private sealed record ToolCall(string Id, string Name, string Arguments);
}
