using System.Text.Json;
using SfAi.Core.Errors;
using SfAi.Core.Usage;

namespace SfAi.Core.Protocols.OpenAIResponses;

/// <summary>Writes a <c>response</c> object: as the JSON answer, and inside the lifecycle events of a stream.</summary>
internal static class ResponseObjectWriter
{
    /// <summary>A chat <c>finish_reason</c> as the response's status and <c>incomplete_details.reason</c>.</summary>
    public static (string Status, string? IncompleteReason) StatusOf(string? finishReason) => finishReason switch
    {
        "length" => ("incomplete", "max_output_tokens"),
        "content_filter" => ("incomplete", "content_filter"),
        _ => ("completed", null),
    };

    public static void Write(
        Utf8JsonWriter writer, string id, long createdAt, string model, string status, string? incompleteReason,
        IReadOnlyList<ResponseOutputItem> output, TokenUsage? usage, GatewayError? error)
    {
        writer.WriteStartObject();
        writer.WriteString("id", id);
        writer.WriteString("object", "response");
        writer.WriteNumber("created_at", createdAt);
        writer.WriteString("status", status);
        if (error is not null)
        {
            ResponsesErrorWriter.WriteResponseError(writer, error);
        }
        else
        {
            writer.WriteNull("error");
        }
        if (incompleteReason is not null)
        {
            writer.WriteStartObject("incomplete_details");
            writer.WriteString("reason", incompleteReason);
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNull("incomplete_details");
        }
        writer.WriteString("model", model);
        writer.WriteStartArray("output");
        foreach (var item in output)
        {
            item.WriteTo(writer, done: true);
        }
        writer.WriteEndArray();
        writer.WriteBoolean("parallel_tool_calls", true);
        writer.WriteString("tool_choice", "auto");
        writer.WriteStartArray("tools");
        writer.WriteEndArray();
        writer.WriteBoolean("store", false);
        if (usage is not null)
        {
            writer.WriteStartObject("usage");
            writer.WriteNumber("input_tokens", usage.PromptTokens);
            writer.WriteStartObject("input_tokens_details");
            writer.WriteNumber("cached_tokens", usage.CachedPromptTokens);
            writer.WriteEndObject();
            writer.WriteNumber("output_tokens", usage.CompletionTokens);
            writer.WriteStartObject("output_tokens_details");
            writer.WriteNumber("reasoning_tokens", 0);
            writer.WriteEndObject();
            writer.WriteNumber("total_tokens", usage.TotalTokens);
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNull("usage");
        }
        writer.WriteEndObject();
    }
}
