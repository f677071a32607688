using System.Text;
using System.Text.Json;
using SfAi.Core.Usage;

namespace SfAi.Core.Providers.OpenAI;

/// <summary>
/// Reads what the gateway needs to log from OpenAI responses and chunks (usage, finish reason, generated text)
/// without changing a byte of them: chat completions, legacy completions (a choice's <c>text</c>) and embeddings (usage only).
/// </summary>
/// <remarks>
/// One <see cref="Utf8JsonReader"/> pass, no document (only a rare <c>error</c> object is parsed as an element).
/// </remarks>
public sealed class OpenAIResponseInspector
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 256 };
    private readonly StringBuilder _text = new();

    public TokenUsage? Usage { get; private set; }

    public string? FinishReason { get; private set; }

    public string? UpstreamError { get; private set; }

    /// <summary>The generated text: of every chunk; of a whole completion only when it came without usage (the text is then counted instead).</summary>
    public string CompletionText => _text.ToString();

    /// <summary>Reads one <c>chat.completion.chunk</c>; true when it carries only the usage (empty <c>choices</c>).</summary>
    public bool InspectChunk(string data) => InspectChunk(Encoding.UTF8.GetBytes(data));

    /// <summary>Reads one <c>chat.completion.chunk</c> from its UTF-8 bytes; true when it carries only the usage.</summary>
    public bool InspectChunk(ReadOnlyMemory<byte> data)
    {
        var (choices, usage) = Inspect(data.Span, "delta"u8, readText: true);
        return choices == 0 && usage;
    }

    /// <summary>Reads a whole <c>chat.completion</c>; its text is read in a second pass, only when it has no usage.</summary>
    public void InspectCompletion(ReadOnlyMemory<byte> json)
    {
        Inspect(json.Span, "message"u8, readText: false);
        if (Usage is null)
        {
            Inspect(json.Span, "message"u8, readText: true);
        }
    }

    /// <summary>The number of choices and whether a usage object came; (0, false) for what is not a JSON object.</summary>
    private (int Choices, bool Usage) Inspect(ReadOnlySpan<byte> json, ReadOnlySpan<byte> messageProperty, bool readText)
    {
        var choices = 0;
        var usage = false;
        try
        {
            var reader = new Utf8JsonReader(json, ReaderOptions);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return (0, false);
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("choices"u8))
                {
                    reader.Read();
                    choices = ReadChoices(ref reader, messageProperty, readText);
                }
                else if (reader.ValueTextEquals("usage"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.StartObject)
                    {
                        usage = true;
                        if (OpenAIUsageReader.Read(ref reader) is { } read)
                        {
                            Usage = read;
                        }
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
                else if (reader.ValueTextEquals("error"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.StartObject)
                    {
                        var error = Element(ref reader);
                        UpstreamError = error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String
                            ? m.GetString()
                            : error.GetRawText();
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // Not JSON, or a string that is not UTF-8: what was read before it stands.
        }
        return (choices, usage);
    }

    private int ReadChoices(ref Utf8JsonReader reader, ReadOnlySpan<byte> messageProperty, bool readText)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return 0;
        }
        var count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            count++;
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("finish_reason"u8))
                {
                    reader.Read();
                    if (FinishReason is null && reader.TokenType == JsonTokenType.String)
                    {
                        FinishReason = reader.GetString();
                    }
                }
                else if (readText && reader.ValueTextEquals("text"u8))
                {
                    reader.Read();
                    AppendString(ref reader);
                }
                else if (readText && reader.ValueTextEquals(messageProperty))
                {
                    reader.Read();
                    ReadMessage(ref reader);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }
        return count;
    }

    /// <summary>A message or delta: its <c>content</c>, and each tool call's function name and arguments.</summary>
    private void ReadMessage(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("content"u8))
            {
                reader.Read();
                AppendString(ref reader);
            }
            else if (reader.ValueTextEquals("tool_calls"u8))
            {
                reader.Read();
                ReadToolCalls(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    private void ReadToolCalls(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return;
        }
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isFunction = reader.ValueTextEquals("function"u8);
                reader.Read();
                if (!isFunction || reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }
                // A call's name first, then its arguments, as they were generated, whatever their order in the object.
                string? name = null;
                string? arguments = null;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var field = reader.ValueTextEquals("name"u8) ? 1 : reader.ValueTextEquals("arguments"u8) ? 2 : 0;
                    reader.Read();
                    if (field != 0 && reader.TokenType == JsonTokenType.String)
                    {
                        (field == 1 ? ref name : ref arguments) = reader.GetString();
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
                _text.Append(name).Append(arguments);
            }
        }
    }

    private void AppendString(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            _text.Append(reader.GetString());
        }
        else
        {
            reader.Skip();
        }
    }

    /// <summary>The object the reader is at, as an element (the reader moves to its end).</summary>
    private static JsonElement Element(ref Utf8JsonReader reader) => JsonElement.ParseValue(ref reader);
}
