using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SfAi.Core.Chat;

/// <summary>
/// The text of a conversation as the logs show it: content-part arrays flattened to their text parts. Read from the
/// end: the latest user message and a tail decode only the messages they need, however long the conversation.
/// </summary>
public sealed class ConversationText
{
    private readonly JsonArray _messages;

    private ConversationText(JsonArray messages, string? latestUserMessage)
    {
        _messages = messages;
        LatestUserMessage = latestUserMessage;
    }

    /// <summary>The text of the last <c>user</c> message; null when there is none.</summary>
    public string? LatestUserMessage { get; }

    /// <summary>Every non-empty message text, in order, joined by newlines.</summary>
    public string WholeConversation => Tail(int.MaxValue);

    public static ConversationText From(JsonArray messages)
    {
        for (var i = messages.Count - 1; i >= 0; i--)
        {
            if (messages[i] is JsonObject message && IsString(message["role"], "user"))
            {
                return new ConversationText(messages, ContentText(message["content"]));
            }
        }
        return new ConversationText(messages, null);
    }

    /// <summary>The last <paramref name="length"/> characters of the whole conversation.</summary>
    public string Tail(int length)
    {
        var texts = TextsFromTheEnd(length);
        texts.Reverse();
        var joined = string.Join('\n', texts);
        return joined.Length <= length ? joined : joined[^length..];
    }

    /// <summary>Non-empty message texts from the last one back, until they hold at least <paramref name="length"/> characters.</summary>
    private List<string> TextsFromTheEnd(int length)
    {
        var texts = new List<string>();
        var total = 0;
        for (var i = _messages.Count - 1; i >= 0 && total < length; i--)
        {
            if (_messages[i] is JsonObject message && ContentText(message["content"]) is { Length: > 0 } text)
            {
                total += text.Length + (texts.Count > 0 ? 1 : 0);
                texts.Add(text);
            }
        }
        return texts;
    }

    /// <summary>The text of one message's <c>content</c>: a string, or the text parts of a part array joined by newlines.</summary>
    public static string ContentText(JsonNode? content)
    {
        switch (content)
        {
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                return value.GetValue<string>();
            case JsonArray parts:
                var text = new StringBuilder();
                foreach (var part in parts)
                {
                    if (part is JsonObject p && IsString(p["type"], "text")
                        && p["text"] is JsonValue t && t.GetValueKind() == JsonValueKind.String)
                    {
                        if (text.Length > 0)
                        {
                            text.Append('\n');
                        }
                        text.Append(t.GetValue<string>());
                    }
                }
                return text.ToString();
            default:
                return string.Empty;
        }
    }

    /// <summary>Whether <paramref name="node"/> is the JSON string <paramref name="expected"/>, compared without decoding it.</summary>
    private static bool IsString(JsonNode? node, string expected) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String
        && (value.TryGetValue<JsonElement>(out var element) ? element.ValueEquals(expected) : value.GetValue<string>() == expected);
}
