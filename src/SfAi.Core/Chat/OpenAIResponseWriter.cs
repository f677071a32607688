using System.Text.Json;
using SfAi.Core.Json;
using SfAi.Core.Usage;

namespace SfAi.Core.Chat;

/// <summary>Writes OpenAI <c>chat.completion</c> and <c>chat.completion.chunk</c> JSON for providers that produce their own answers.</summary>
public static class OpenAIResponseWriter
{
    public static byte[] Completion(string id, long created, string model, string content, string finishReason, TokenUsage usage) =>
        Write(writer =>
        {
            WriteHeader(writer, id, "chat.completion", created, model);
            writer.WriteStartArray("choices");
            writer.WriteStartObject();
            writer.WriteNumber("index", 0);
            writer.WriteStartObject("message");
            writer.WriteString("role", "assistant");
            writer.WriteString("content", content);
            writer.WriteNull("refusal");
            writer.WriteEndObject();
            writer.WriteNull("logprobs");
            writer.WriteString("finish_reason", finishReason);
            writer.WriteEndObject();
            writer.WriteEndArray();
            WriteUsage(writer, usage);
        });

    /// <summary>A chunk with one choice; <paramref name="role"/> goes in the first chunk only.</summary>
    public static byte[] Chunk(string id, long created, string model, string? role, string? content, string? finishReason) =>
        Chunk(id, created, model, delta =>
        {
            if (role is not null)
            {
                delta.WriteString("role", role);
            }
            if (content is not null)
            {
                delta.WriteString("content", content);
            }
        }, finishReason);

    /// <summary>A chunk with one choice whose <c>delta</c> members <paramref name="writeDelta"/> writes.</summary>
    public static byte[] Chunk(string id, long created, string model, Action<Utf8JsonWriter> writeDelta, string? finishReason) =>
        Write(writer =>
        {
            WriteHeader(writer, id, "chat.completion.chunk", created, model);
            writer.WriteStartArray("choices");
            writer.WriteStartObject();
            writer.WriteNumber("index", 0);
            writer.WriteStartObject("delta");
            writeDelta(writer);
            writer.WriteEndObject();
            writer.WriteNull("logprobs");
            if (finishReason is null)
            {
                writer.WriteNull("finish_reason");
            }
            else
            {
                writer.WriteString("finish_reason", finishReason);
            }
            writer.WriteEndObject();
            writer.WriteEndArray();
        });

    /// <summary>The final usage chunk of a stream whose client asked for <c>include_usage</c>: empty choices.</summary>
    public static byte[] UsageChunk(string id, long created, string model, TokenUsage usage) =>
        Write(writer =>
        {
            WriteHeader(writer, id, "chat.completion.chunk", created, model);
            writer.WriteStartArray("choices");
            writer.WriteEndArray();
            WriteUsage(writer, usage);
        });

    public static void WriteHeader(Utf8JsonWriter writer, string id, string kind, long created, string model)
    {
        writer.WriteString("id", id);
        writer.WriteString("object", kind);
        writer.WriteNumber("created", created);
        writer.WriteString("model", model);
    }

    public static void WriteUsage(Utf8JsonWriter writer, TokenUsage usage)
    {
        writer.WriteStartObject("usage");
        writer.WriteNumber("prompt_tokens", usage.PromptTokens);
        writer.WriteNumber("completion_tokens", usage.CompletionTokens);
        writer.WriteNumber("total_tokens", usage.TotalTokens);
        writer.WriteStartObject("prompt_tokens_details");
        writer.WriteNumber("cached_tokens", usage.CachedPromptTokens);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>Writes one JSON object whose members <paramref name="body"/> writes.</summary>
    public static byte[] Write(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream(256);
        using (var writer = new Utf8JsonWriter(buffer, JsonWriting.Options))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
