using System.Text.Json;
using System.Text.Json.Nodes;
using SfAi.Core.Protocols.OpenAIChat;

namespace SfAi.Core.Providers.Anthropic;

/// <summary>
/// OpenAI <c>tools</c>, <c>tool_choice</c>, <c>parallel_tool_calls</c> and <c>response_format</c> → their Anthropic
/// counterparts. <c>json_schema</c> uses Claude's structured outputs (<c>output_config.format</c>); <c>json_object</c>,
/// which has no schema, forces the <see cref="AnthropicRequestTranslator.JsonObjectToolName"/> tool whose input is
/// returned as the message content.
/// </summary>
internal static class AnthropicToolTranslator
{
    /// <returns>Whether the answer comes through the forced json_object tool.</returns>
    public static bool Apply(ShapedRequest body, JsonObject anthropic)
    {
        var tools = Tools(body["tools"]);
        var choice = ToolChoice(body["tool_choice"], tools.Count > 0);
        var jsonObjectMode = ResponseFormat(body["response_format"], anthropic, tools, ref choice);

        if (body["parallel_tool_calls"] is JsonValue parallel && parallel.GetValueKind() == JsonValueKind.False && tools.Count > 0)
        {
            choice ??= new JsonObject { ["type"] = "auto" };
            if (choice["type"]!.GetValue<string>() != "none")
            {
                choice["disable_parallel_tool_use"] = true;
            }
        }
        if (tools.Count > 0)
        {
            anthropic["tools"] = tools;
        }
        if (choice is not null)
        {
            anthropic["tool_choice"] = choice;
        }
        return jsonObjectMode;
    }

    private static JsonArray Tools(JsonNode? node)
    {
        var tools = new JsonArray();
        if (node is null)
        {
            return tools;
        }
        if (node is not JsonArray items)
        {
            throw AnthropicRequestTranslator.Invalid("tools", "'tools' must be an array.");
        }
        for (var i = 0; i < items.Count; i++)
        {
            var path = $"tools[{i}]";
            if (items[i] is not JsonObject tool || tool["function"] is not JsonObject function)
            {
                throw AnthropicRequestTranslator.Invalid(path, $"'{path}' must be an object with 'type' and 'function'.");
            }
            var type = tool["type"] is JsonValue t && t.GetValueKind() == JsonValueKind.String ? t.GetValue<string>() : "function";
            if (type != "function")
            {
                throw AnthropicRequestTranslator.Unsupported($"{path}.type", $"Tools of type '{type}' are not supported by Anthropic models; use function tools.");
            }
            var translated = new JsonObject { ["name"] = AnthropicMessageTranslator.StringField(function, "name", $"{path}.function.name") };
            if (function["description"] is JsonValue description && description.GetValueKind() == JsonValueKind.String)
            {
                translated["description"] = description.GetValue<string>();
            }
            translated["input_schema"] = function["parameters"] is JsonObject parameters
                ? parameters.DeepClone()
                : new JsonObject { ["type"] = "object", ["properties"] = new JsonObject() };
            if (function["strict"] is JsonValue strict && strict.GetValueKind() == JsonValueKind.True)
            {
                translated["strict"] = true;
            }
            tools.Add((JsonNode)translated);
        }
        return tools;
    }

    private static JsonObject? ToolChoice(JsonNode? node, bool hasTools)
    {
        switch (node)
        {
            case null:
                return null;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                var mode = value.GetValue<string>();
                return mode switch
                {
                    "auto" => hasTools ? new JsonObject { ["type"] = "auto" } : null,
                    "none" => hasTools ? new JsonObject { ["type"] = "none" } : null,
                    "required" when hasTools => new JsonObject { ["type"] = "any" },
                    "required" => throw AnthropicRequestTranslator.Invalid("tool_choice", "'tool_choice' is 'required' but no 'tools' were given."),
                    _ => throw AnthropicRequestTranslator.Invalid("tool_choice", $"'tool_choice' must be auto, none, required or a named function, not '{mode}'."),
                };
            case JsonObject named when named["function"] is JsonObject function:
                if (!hasTools)
                {
                    throw AnthropicRequestTranslator.Invalid("tool_choice", "'tool_choice' names a function but no 'tools' were given.");
                }
                return new JsonObject
                {
                    ["type"] = "tool",
                    ["name"] = AnthropicMessageTranslator.StringField(function, "name", "tool_choice.function.name"),
                };
            default:
                throw AnthropicRequestTranslator.Invalid("tool_choice", "'tool_choice' must be auto, none, required or {\"type\":\"function\",\"function\":{\"name\":…}}.");
        }
    }

    private static bool ResponseFormat(JsonNode? node, JsonObject anthropic, JsonArray tools, ref JsonObject? choice)
    {
        if (node is null)
        {
            return false;
        }
        var type = node is JsonObject format && format["type"] is JsonValue t && t.GetValueKind() == JsonValueKind.String
            ? t.GetValue<string>()
            : throw AnthropicRequestTranslator.Invalid("response_format", "'response_format' must be an object with 'type'.");
        switch (type)
        {
            case "text":
                return false;
            case "json_schema":
                if (node["json_schema"] is not JsonObject jsonSchema || jsonSchema["schema"] is not JsonObject schema)
                {
                    throw AnthropicRequestTranslator.Invalid("response_format.json_schema.schema", "'response_format.json_schema.schema' must be a JSON Schema object.");
                }
                anthropic["output_config"] = new JsonObject
                {
                    ["format"] = new JsonObject { ["type"] = "json_schema", ["schema"] = schema.DeepClone() },
                };
                return false;
            case "json_object":
                if (tools.Count > 0)
                {
                    throw AnthropicRequestTranslator.Unsupported("response_format",
                        "'response_format' 'json_object' cannot be combined with 'tools' on Anthropic models; use 'json_schema'.");
                }
                tools.Add((JsonNode)new JsonObject
                {
                    ["name"] = AnthropicRequestTranslator.JsonObjectToolName,
                    ["description"] = "Respond with your complete answer as this JSON object.",
                    ["input_schema"] = new JsonObject { ["type"] = "object" },
                });
                choice = new JsonObject { ["type"] = "tool", ["name"] = AnthropicRequestTranslator.JsonObjectToolName };
                return true;
            default:
                throw AnthropicRequestTranslator.Invalid("response_format.type", $"'response_format.type' must be text, json_object or json_schema, not '{type}'.");
        }
    }
}
