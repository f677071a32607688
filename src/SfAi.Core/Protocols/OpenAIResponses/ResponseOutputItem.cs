using System.Text;
using System.Text.Json;

namespace SfAi.Core.Protocols.OpenAIResponses;

/// <summary>One item of a <c>response</c>'s <c>output</c> as the way back builds it: a message, a function call or reasoning.</summary>
internal sealed class ResponseOutputItem
{
    private ResponseOutputItem(ResponseOutputKind kind, string id)
    {
        Kind = kind;
        Id = id;
    }

    public ResponseOutputKind Kind { get; }

    public string Id { get; }

    /// <summary>The message's text, the call's arguments, or the reasoning's summary text.</summary>
    public StringBuilder Text { get; } = new();

    public string? CallId { get; private init; }

    public string? Name { get; private init; }

    public string? Namespace { get; private init; }

    /// <summary>The index the chat stream gave the tool call this item carries.</summary>
    public int ToolIndex { get; private init; } = -1;

    public static ResponseOutputItem Message() => new(ResponseOutputKind.Message, "msg_" + NewId());

    public static ResponseOutputItem Reasoning() => new(ResponseOutputKind.Reasoning, "rs_" + NewId());

    public static ResponseOutputItem FunctionCall(string? callId, string name, int toolIndex, ResponsesTranslation translation)
    {
        var qualified = translation.NamespacedTools.TryGetValue(name, out var tool) ? tool : null;
        return new(ResponseOutputKind.FunctionCall, "fc_" + NewId())
        {
            CallId = string.IsNullOrEmpty(callId) ? "call_" + NewId() : callId,
            Name = qualified?.Name ?? name,
            Namespace = qualified?.Namespace,
            ToolIndex = toolIndex,
        };
    }

    public static string NewId() => Guid.NewGuid().ToString("N");

    /// <summary>Writes the item as the <c>output</c> array and the <c>output_item</c> events carry it.</summary>
    public void WriteTo(Utf8JsonWriter writer, bool done)
    {
        var status = done ? "completed" : "in_progress";
        writer.WriteStartObject();
        switch (Kind)
        {
            case ResponseOutputKind.Message:
                writer.WriteString("id", Id);
                writer.WriteString("type", "message");
                writer.WriteString("status", status);
                writer.WriteString("role", "assistant");
                writer.WriteStartArray("content");
                if (done)
                {
                    WriteTextPart(writer, Text.ToString());
                }
                writer.WriteEndArray();
                break;
            case ResponseOutputKind.FunctionCall:
                writer.WriteString("id", Id);
                writer.WriteString("type", "function_call");
                writer.WriteString("status", status);
                writer.WriteString("call_id", CallId);
                writer.WriteString("name", Name);
                if (Namespace is not null)
                {
                    writer.WriteString("namespace", Namespace);
                }
                writer.WriteString("arguments", done ? Text.ToString() : string.Empty);
                break;
            case ResponseOutputKind.Reasoning:
                writer.WriteString("id", Id);
                writer.WriteString("type", "reasoning");
                writer.WriteStartArray("summary");
                if (done)
                {
                    WriteSummaryPart(writer, Text.ToString());
                }
                writer.WriteEndArray();
                break;
        }
        writer.WriteEndObject();
    }

    public static void WriteTextPart(Utf8JsonWriter writer, string text)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "output_text");
        writer.WriteString("text", text);
        writer.WriteStartArray("annotations");
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    public static void WriteSummaryPart(Utf8JsonWriter writer, string text)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "summary_text");
        writer.WriteString("text", text);
        writer.WriteEndObject();
    }
}

internal enum ResponseOutputKind
{
    Message,
    FunctionCall,
    Reasoning,
}
