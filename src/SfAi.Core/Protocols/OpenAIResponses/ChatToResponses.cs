using System.Text.Json;
using SfAi.Core.Json;
using SfAi.Core.Usage;

namespace SfAi.Core.Protocols.OpenAIResponses;

/// <summary>
/// The pivot's whole answer (a <c>chat.completion</c>) as a Responses API <c>response</c>: reasoning (the target's
/// thinking as summary text), then the message's <c>output_text</c>, then one <c>function_call</c> per tool call, with
/// namespaced tools given back their own names.
/// </summary>
public static class ChatToResponses
{
    public static byte[] FromCompletion(ResponsesTranslation translation, ReadOnlyMemory<byte> completion, TimeProvider time)
    {
        using var document = JsonDocument.Parse(completion);
        var root = document.RootElement;
        var output = new List<ResponseOutputItem>();
        string? finishReason = null;
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("choices", out var choices) && choices.ValueKind == JsonValueKind.Array
            && choices.GetArrayLength() > 0 && choices[0].ValueKind == JsonValueKind.Object)
        {
            var choice = choices[0];
            finishReason = Text(choice, "finish_reason");
            if (choice.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.Object)
            {
                if (Text(message, "reasoning_content") is { Length: > 0 } reasoning)
                {
                    var item = ResponseOutputItem.Reasoning();
                    item.Text.Append(reasoning);
                    output.Add(item);
                }
                if ((Text(message, "content") ?? Text(message, "refusal")) is { Length: > 0 } content)
                {
                    var item = ResponseOutputItem.Message();
                    item.Text.Append(content);
                    output.Add(item);
                }
                if (message.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array)
                {
                    var index = 0;
                    foreach (var call in calls.EnumerateArray().Where(c => c.ValueKind == JsonValueKind.Object))
                    {
                        var function = call.TryGetProperty("function", out var f) ? f : default;
                        var item = ResponseOutputItem.FunctionCall(Text(call, "id"), Text(function, "name") ?? string.Empty, index++, translation);
                        item.Text.Append(Text(function, "arguments") ?? "{}");
                        output.Add(item);
                    }
                }
            }
        }
        var usage = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("usage", out var usageElement) ? OpenAIUsageReader.Read(usageElement) : null;
        var (status, incomplete) = ResponseObjectWriter.StatusOf(finishReason);
        var created = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("created", out var c) && c.ValueKind == JsonValueKind.Number && c.TryGetInt64(out var seconds) ? seconds : time.GetUtcNow().ToUnixTimeSeconds();
        var model = Text(root, "model") ?? translation.Chat.Model;
        return JsonWriting.Write((created, model, status, incomplete, output, usage), static (writer, s) =>
            ResponseObjectWriter.Write(writer, "resp_" + ResponseOutputItem.NewId(), s.created, s.model, s.status, s.incomplete, s.output, s.usage, null));
    }

    internal static string? Text(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
