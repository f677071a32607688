using System.Text.Json;
using SfAi.Core.Json;
using SfAi.Core.Usage;

namespace SfAi.Core.Protocols.OpenAIChat;

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
        Chunk(id, created, model, (role, content), static (delta, text) =>
        {
            if (text.role is not null)
            {
                delta.WriteString("role", text.role);
            }
            if (text.content is not null)
            {
                delta.WriteString("content", text.content);
            }
        }, finishReason);

    /// <summary>A chunk with one choice whose <c>delta</c> members <paramref name="writeDelta"/> writes.</summary>
    public static byte[] Chunk(string id, long created, string model, Action<Utf8JsonWriter> writeDelta, string? finishReason) =>
        Chunk(id, created, model, writeDelta, static (delta, write) => write(delta), finishReason);

    /// <summary>A chunk with one choice whose <c>delta</c> members <paramref name="writeDelta"/> writes from <paramref name="state"/> (no closure per chunk).</summary>
    public static byte[] Chunk<TState>(string id, long created, string model, TState state, Action<Utf8JsonWriter, TState> writeDelta, string? finishReason) =>
        JsonWriting.Write((id, created, model, state, writeDelta, finishReason), static (writer, chunk) =>
        {
            writer.WriteStartObject();
            WriteHeader(writer, chunk.id, "chat.completion.chunk", chunk.created, chunk.model);
            writer.WriteStartArray("choices");
            writer.WriteStartObject();
            writer.WriteNumber("index", 0);
            writer.WriteStartObject("delta");
            chunk.writeDelta(writer, chunk.state);
            writer.WriteEndObject();
            writer.WriteNull("logprobs");
            if (chunk.finishReason is null)
            {
                writer.WriteNull("finish_reason");
            }
            else
            {
                writer.WriteString("finish_reason", chunk.finishReason);
            }
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
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
    public static byte[] Write(Action<Utf8JsonWriter> body) =>
        JsonWriting.Write(body, static (writer, write) =>
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        });
}
