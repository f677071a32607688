using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SfAi.Core.Chat;

/// <summary>The text of a conversation as the logs show it: content-part arrays flattened to their text parts.</summary>
public sealed record ConversationText(string? LatestUserMessage, string WholeConversation)
{
    public static ConversationText From(JsonArray messages)
    {
        string? latestUser = null;
        var whole = new StringBuilder();
        foreach (var node in messages)
        {
            if (node is not JsonObject message)
            {
                continue;
            }
            var text = ContentText(message["content"]);
            if (text.Length > 0)
            {
                if (whole.Length > 0)
                {
                    whole.Append('\n');
                }
                whole.Append(text);
            }
            if (message["role"] is JsonValue role && role.GetValueKind() == JsonValueKind.String
                && role.GetValue<string>() == "user")
            {
                latestUser = text;
            }
        }
        return new ConversationText(latestUser, whole.ToString());
    }

    /// <summary>The last <paramref name="length"/> characters of the whole conversation.</summary>
    public string Tail(int length) =>
        WholeConversation.Length <= length ? WholeConversation : WholeConversation[^length..];

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
                    if (part is JsonObject p && p["type"] is JsonValue type && type.GetValueKind() == JsonValueKind.String
                        && type.GetValue<string>() == "text"
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
}
