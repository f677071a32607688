using System.Text;
using System.Text.Json;
using SfAi.Core.Protocols.OpenAIChat;
using SfAi.Core.Usage;

namespace SfAi.Core.Providers.Anthropic;

/// <summary>The result of translating one Anthropic message into a <c>chat.completion</c>.</summary>
public sealed record TranslatedCompletion(byte[] Json, TokenUsage? Usage, string? FinishReason, string Text);

/// <summary>
/// Anthropic message → OpenAI <c>chat.completion</c>: text blocks joined, tool calls in order with their input as a
/// JSON string, thinking as <c>reasoning_content</c> (and the signed blocks as <c>thinking_blocks</c>, so a client
/// can send them back), the stop reason mapped, usage in OpenAI's accounting.
/// </summary>
public static class AnthropicResponseTranslator
{
    public static TranslatedCompletion Translate(ReadOnlySpan<byte> json, long created, bool jsonObjectMode)
    {
        using var document = JsonDocument.Parse(json.ToArray());
        var message = document.RootElement;
        var text = new StringBuilder();
        var reasoning = new StringBuilder();
        var toolCalls = new List<JsonElement>();
        var thinkingBlocks = new List<JsonElement>();
        foreach (var block in message.GetProperty("content").EnumerateArray())
        {
            switch (AnthropicErrorMapper.Text(block, "type"))
            {
                case "text":
                    text.Append(block.GetProperty("text").GetString());
                    break;
                case "thinking":
                    reasoning.Append(block.GetProperty("thinking").GetString());
                    thinkingBlocks.Add(block);
                    break;
                case "redacted_thinking":
                    thinkingBlocks.Add(block);
                    break;
                case "tool_use" when jsonObjectMode && AnthropicErrorMapper.Text(block, "name") == AnthropicRequestTranslator.JsonObjectToolName:
                    text.Append(block.GetProperty("input").GetRawText());
                    break;
                case "tool_use":
                    toolCalls.Add(block);
                    break;
            }
        }

        var usage = new AnthropicUsage();
        if (message.TryGetProperty("usage", out var usageElement))
        {
            usage.Read(usageElement);
        }
        var tokens = usage.ToTokenUsage();
        var finish = AnthropicStopReasons.ToFinishReason(AnthropicErrorMapper.Text(message, "stop_reason"), jsonObjectMode) ?? "stop";
        var id = AnthropicErrorMapper.Text(message, "id") ?? "msg";
        var model = AnthropicErrorMapper.Text(message, "model") ?? string.Empty;

        var bytes = OpenAIResponseWriter.Write(writer =>
        {
            OpenAIResponseWriter.WriteHeader(writer, id, "chat.completion", created, model);
            writer.WriteStartArray("choices");
            writer.WriteStartObject();
            writer.WriteNumber("index", 0);
            writer.WriteStartObject("message");
            writer.WriteString("role", "assistant");
            if (text.Length == 0 && toolCalls.Count > 0)
            {
                writer.WriteNull("content");
            }
            else
            {
                writer.WriteString("content", text.ToString());
            }
            if (reasoning.Length > 0)
            {
                writer.WriteString("reasoning_content", reasoning.ToString());
            }
            if (thinkingBlocks.Count > 0)
            {
                writer.WriteStartArray("thinking_blocks");
                thinkingBlocks.ForEach(block => block.WriteTo(writer));
                writer.WriteEndArray();
            }
            if (toolCalls.Count > 0)
            {
                writer.WriteStartArray("tool_calls");
                foreach (var call in toolCalls)
                {
                    writer.WriteStartObject();
                    writer.WriteString("id", call.GetProperty("id").GetString());
                    writer.WriteString("type", "function");
                    writer.WriteStartObject("function");
                    writer.WriteString("name", call.GetProperty("name").GetString());
                    writer.WriteString("arguments", call.GetProperty("input").GetRawText());
                    writer.WriteEndObject();
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
            }
            writer.WriteNull("refusal");
            writer.WriteEndObject();
            writer.WriteNull("logprobs");
            writer.WriteString("finish_reason", finish);
            writer.WriteEndObject();
            writer.WriteEndArray();
            if (tokens is not null)
            {
                OpenAIResponseWriter.WriteUsage(writer, tokens);
            }
        });
        return new TranslatedCompletion(bytes, tokens, finish, text.ToString());
    }
}
