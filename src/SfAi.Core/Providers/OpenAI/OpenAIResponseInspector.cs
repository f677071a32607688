using System.Text;
using System.Text.Json;
using SfAi.Core.Usage;

namespace SfAi.Core.Providers.OpenAI;

/// <summary>
/// Reads what the gateway needs to log from OpenAI responses and chunks (usage, finish reason, generated text)
/// without changing a byte of them: chat completions, legacy completions (a choice's <c>text</c>) and embeddings (usage only).
/// </summary>
public sealed class OpenAIResponseInspector
{
    private readonly StringBuilder _text = new();

    public TokenUsage? Usage { get; private set; }

    public string? FinishReason { get; private set; }

    public string? UpstreamError { get; private set; }

    public string CompletionText => _text.ToString();

    /// <summary>Reads one <c>chat.completion.chunk</c>; true when it carries only the usage (empty <c>choices</c>).</summary>
    public bool InspectChunk(string data) => InspectChunk(Encoding.UTF8.GetBytes(data));

    /// <summary>Reads one <c>chat.completion.chunk</c> from its UTF-8 bytes; true when it carries only the usage.</summary>
    public bool InspectChunk(ReadOnlyMemory<byte> data)
    {
        try
        {
            using var document = JsonDocument.Parse(data);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return false;
            }
            ReadCommon(root);
            var hasChoices = false;
            if (root.TryGetProperty("choices", out var choices) && choices.ValueKind == JsonValueKind.Array)
            {
                foreach (var choice in choices.EnumerateArray())
                {
                    hasChoices = true;
                    ReadChoice(choice, "delta");
                }
            }
            return !hasChoices && root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Reads a whole <c>chat.completion</c>.</summary>
    public void InspectCompletion(ReadOnlyMemory<byte> json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return;
            }
            ReadCommon(root);
            if (root.TryGetProperty("choices", out var choices) && choices.ValueKind == JsonValueKind.Array)
            {
                foreach (var choice in choices.EnumerateArray())
                {
                    ReadChoice(choice, "message");
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
        }
    }

    private void ReadCommon(JsonElement root)
    {
        if (root.TryGetProperty("usage", out var usage) && OpenAIUsageReader.Read(usage) is { } read)
        {
            Usage = read;
        }
        if (root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
        {
            UpstreamError = error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String
                ? m.GetString()
                : error.GetRawText();
        }
    }

    private void ReadChoice(JsonElement choice, string messageProperty)
    {
        if (choice.ValueKind != JsonValueKind.Object)
        {
            return;
        }
        if (FinishReason is null && choice.TryGetProperty("finish_reason", out var finish) && finish.ValueKind == JsonValueKind.String)
        {
            FinishReason = finish.GetString();
        }
        AppendString(choice, "text");
        if (!choice.TryGetProperty(messageProperty, out var message) || message.ValueKind != JsonValueKind.Object)
        {
            return;
        }
        if (message.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String)
        {
            _text.Append(content.GetString());
        }
        if (message.TryGetProperty("tool_calls", out var toolCalls) && toolCalls.ValueKind == JsonValueKind.Array)
        {
            foreach (var call in toolCalls.EnumerateArray())
            {
                if (call.ValueKind == JsonValueKind.Object && call.TryGetProperty("function", out var function)
                    && function.ValueKind == JsonValueKind.Object)
                {
                    AppendString(function, "name");
                    AppendString(function, "arguments");
                }
            }
        }
    }

    private void AppendString(JsonElement parent, string name)
    {
        if (parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
        {
            _text.Append(value.GetString());
        }
    }
}
