using System.Text.Json;
using SfAi.Core.Json;

namespace SfAi.Core.Protocols.AnthropicMessages;

/// <summary>
/// An OpenAI <c>chat.completion</c> as a Messages response: <c>msg_</c> id, the reasoning as a thinking block (it has no
/// signature: no Anthropic model wrote it), the text as a text block, each tool call as a <c>tool_use</c> block with its
/// arguments as <c>input</c>, the stop reason and usage in Anthropic's accounting (cached tokens apart from input).
/// </summary>
public static class ChatToMessages
{
    public static byte[] Convert(ReadOnlySpan<byte> completion)
    {
        using var document = JsonDocument.Parse(completion.ToArray());
        var root = document.RootElement;
        var choice = root.TryGetProperty("choices", out var choices) && choices.ValueKind == JsonValueKind.Array && choices.GetArrayLength() > 0
            ? choices[0]
            : default;
        var message = choice.ValueKind == JsonValueKind.Object && choice.TryGetProperty("message", out var m) ? m : default;
        var finish = choice.ValueKind == JsonValueKind.Object ? Text(choice, "finish_reason") : null;
        var usage = ChatUsage.From(root);

        return JsonWriting.Write((root, message, finish, usage), static (writer, state) =>
        {
            var (root, message, finish, usage) = state;
            writer.WriteStartObject();
            writer.WriteString("id", MessageId(Text(root, "id")));
            writer.WriteString("type", "message");
            writer.WriteString("role", "assistant");
            writer.WriteString("model", Text(root, "model") ?? string.Empty);
            writer.WriteStartArray("content");
            if (message.ValueKind == JsonValueKind.Object)
            {
                if (Text(message, "reasoning_content") is { Length: > 0 } reasoning)
                {
                    writer.WriteStartObject();
                    writer.WriteString("type", "thinking");
                    writer.WriteString("thinking", reasoning);
                    writer.WriteString("signature", string.Empty);
                    writer.WriteEndObject();
                }
                if (Text(message, "content") is { Length: > 0 } text)
                {
                    writer.WriteStartObject();
                    writer.WriteString("type", "text");
                    writer.WriteString("text", text);
                    writer.WriteEndObject();
                }
                if (message.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array)
                {
                    foreach (var call in calls.EnumerateArray())
                    {
                        var function = call.TryGetProperty("function", out var f) ? f : default;
                        writer.WriteStartObject();
                        writer.WriteString("type", "tool_use");
                        writer.WriteString("id", Text(call, "id") ?? string.Empty);
                        writer.WriteString("name", function.ValueKind == JsonValueKind.Object ? Text(function, "name") ?? string.Empty : string.Empty);
                        writer.WritePropertyName("input");
                        WriteInput(writer, function.ValueKind == JsonValueKind.Object ? Text(function, "arguments") : null);
                        writer.WriteEndObject();
                    }
                }
            }
            writer.WriteEndArray();
            writer.WriteString("stop_reason", MessagesStopReasons.FromFinishReason(finish));
            writer.WriteNull("stop_sequence");
            usage.Write(writer);
            writer.WriteEndObject();
        });
    }

    /// <summary>The arguments as an object; arguments that are no JSON object are kept as a string under <c>arguments</c>.</summary>
    internal static void WriteInput(Utf8JsonWriter writer, string? arguments)
    {
        if (string.IsNullOrWhiteSpace(arguments))
        {
            writer.WriteStartObject();
            writer.WriteEndObject();
            return;
        }
        try
        {
            using var parsed = JsonDocument.Parse(arguments);
            if (parsed.RootElement.ValueKind == JsonValueKind.Object)
            {
                parsed.RootElement.WriteTo(writer);
                return;
            }
        }
        catch (JsonException)
        {
        }
        writer.WriteStartObject();
        writer.WriteString("arguments", arguments);
        writer.WriteEndObject();
    }

    internal static string MessageId(string? chatId) =>
        chatId is null ? "msg_" + Guid.NewGuid().ToString("N") : chatId.StartsWith("msg_", StringComparison.Ordinal) ? chatId : "msg_" + chatId;

    internal static string? Text(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}

/// <summary>OpenAI usage in Anthropic's accounting: <c>input_tokens</c> leaves out the cached tokens, given as <c>cache_read_input_tokens</c>.</summary>
internal readonly record struct ChatUsage(int Input, int Output, int CacheRead)
{
    public static ChatUsage From(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("usage", out var usage) || usage.ValueKind != JsonValueKind.Object)
        {
            return default;
        }
        var prompt = Int(usage, "prompt_tokens");
        var cached = usage.TryGetProperty("prompt_tokens_details", out var details) && details.ValueKind == JsonValueKind.Object ? Int(details, "cached_tokens") : 0;
        return new ChatUsage(Math.Max(0, prompt - cached), Int(usage, "completion_tokens"), cached);
    }

    public void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject("usage");
        writer.WriteNumber("input_tokens", Input);
        writer.WriteNumber("cache_read_input_tokens", CacheRead);
        writer.WriteNumber("cache_creation_input_tokens", 0);
        writer.WriteNumber("output_tokens", Output);
        writer.WriteEndObject();
    }

    private static int Int(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) ? n : 0;
}
