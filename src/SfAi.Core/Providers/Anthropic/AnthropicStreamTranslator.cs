using System.Text;
using System.Text.Json;
using SfAi.Core.Protocols.OpenAIChat;
using SfAi.Core.Errors;
using SfAi.Core.Usage;

namespace SfAi.Core.Providers.Anthropic;

/// <summary>
/// Anthropic stream events → OpenAI <c>chat.completion.chunk</c> events, one event at a time, as they arrive
/// (https://docs.anthropic.com/en/docs/build-with-claude/streaming). Tool calls get OpenAI indexes in the order
/// their blocks start, so they stay stable when text and several tool calls interleave. <c>ping</c> is dropped;
/// usage goes out as one final chunk only when the client asked for it; a stream <c>error</c> becomes an OpenAI
/// error event. <c>[DONE]</c> closes the stream.
/// </summary>
public sealed class AnthropicStreamTranslator
{
    public static readonly byte[] Done = "[DONE]"u8.ToArray();

    /// <summary>The event and delta types the translator tells apart.</summary>
    private static readonly string[] KnownTypes =
    [
        "content_block_delta", "text_delta", "input_json_delta", "thinking_delta", "signature_delta", "message_start",
        "content_block_start", "content_block_stop", "message_delta", "message_stop", "ping", "error",
    ];

    private readonly string _provider;
    private readonly bool _clientWantsUsage;
    private readonly bool _jsonObjectMode;
    private readonly long _created;
    private readonly AnthropicUsage _usage = new();
    private readonly Dictionary<int, int> _toolIndexByBlock = [];
    private readonly HashSet<int> _jsonObjectBlocks = [];
    private readonly Dictionary<int, (StringBuilder Thinking, string? Signature)> _thinkingByBlock = [];
    private readonly StringBuilder _text = new();
    private string _id = "msg";
    private string _model;

    public AnthropicStreamTranslator(string provider, string model, bool clientWantsUsage, bool jsonObjectMode, long created)
    {
        _provider = provider;
        _model = model;
        _clientWantsUsage = clientWantsUsage;
        _jsonObjectMode = jsonObjectMode;
        _created = created;
    }

    public TokenUsage? Usage => _usage.ToTokenUsage();

    public string? FinishReason { get; private set; }

    /// <summary>The error the stream reported, if any.</summary>
    public GatewayError? Error { get; private set; }

    /// <summary>Whether the stream came to its end (<c>message_stop</c> or <c>error</c>).</summary>
    public bool Finished { get; private set; }

    /// <summary>The generated text and tool arguments, for counting tokens if no usage came.</summary>
    public string CompletionText => _text.ToString();

    /// <summary>Translates one event's data into the OpenAI events to send, in order (often one, sometimes none).</summary>
    public void Translate(string data, List<byte[]> output) => Translate(Encoding.UTF8.GetBytes(data), output);

    /// <summary>Translates one event's data, as UTF-8 bytes, into the OpenAI events to send.</summary>
    public void Translate(ReadOnlyMemory<byte> data, List<byte[]> output)
    {
        using var document = JsonDocument.Parse(data);
        var root = document.RootElement;
        switch (TypeOf(root))
        {
            case "message_start":
                MessageStart(root.GetProperty("message"), output);
                break;
            case "content_block_start":
                BlockStart(BlockIndex(root), root.GetProperty("content_block"), output);
                break;
            case "content_block_delta":
                BlockDelta(BlockIndex(root), root.GetProperty("delta"), output);
                break;
            case "content_block_stop":
                BlockStop(BlockIndex(root), output);
                break;
            case "message_delta":
                MessageDelta(root, output);
                break;
            case "message_stop":
                if (_clientWantsUsage && Usage is { } usage)
                {
                    output.Add(OpenAIResponseWriter.UsageChunk(_id, _created, _model, usage));
                }
                output.Add(Done);
                Finished = true;
                break;
            case "error":
                StreamError(root.GetProperty("error"), output);
                break;
        }
    }

    private void MessageStart(JsonElement message, List<byte[]> output)
    {
        _id = AnthropicErrorMapper.Text(message, "id") ?? _id;
        _model = AnthropicErrorMapper.Text(message, "model") ?? _model;
        if (message.TryGetProperty("usage", out var usage))
        {
            _usage.Read(usage);
        }
        output.Add(OpenAIResponseWriter.Chunk(_id, _created, _model, "assistant", string.Empty, null));
    }

    private void BlockStart(int index, JsonElement block, List<byte[]> output)
    {
        switch (AnthropicErrorMapper.Text(block, "type"))
        {
            case "text" when AnthropicErrorMapper.Text(block, "text") is { Length: > 0 } text:
                Content(text, output);
                break;
            case "thinking":
                _thinkingByBlock[index] = (new StringBuilder(AnthropicErrorMapper.Text(block, "thinking")), null);
                break;
            case "redacted_thinking":
                output.Add(Chunk(delta =>
                {
                    delta.WriteStartArray("thinking_blocks");
                    block.WriteTo(delta);
                    delta.WriteEndArray();
                }));
                break;
            case "tool_use" when _jsonObjectMode && AnthropicErrorMapper.Text(block, "name") == AnthropicRequestTranslator.JsonObjectToolName:
                _jsonObjectBlocks.Add(index);
                break;
            case "tool_use":
                var toolIndex = _toolIndexByBlock.Count;
                _toolIndexByBlock[index] = toolIndex;
                var id = AnthropicErrorMapper.Text(block, "id");
                var name = AnthropicErrorMapper.Text(block, "name");
                _text.Append(name);
                output.Add(Chunk(delta => ToolCall(delta, toolIndex, id, name, string.Empty)));
                break;
        }
    }

    private void BlockDelta(int index, JsonElement delta, List<byte[]> output)
    {
        switch (TypeOf(delta))
        {
            case "text_delta":
                Content(delta.GetProperty("text").GetString() ?? string.Empty, output);
                break;
            case "thinking_delta":
                var thinking = delta.GetProperty("thinking").GetString() ?? string.Empty;
                if (_thinkingByBlock.TryGetValue(index, out var state))
                {
                    state.Thinking.Append(thinking);
                }
                output.Add(Chunk(d => d.WriteString("reasoning_content", thinking)));
                break;
            case "signature_delta" when _thinkingByBlock.TryGetValue(index, out var signed):
                _thinkingByBlock[index] = (signed.Thinking, signed.Signature + delta.GetProperty("signature").GetString());
                break;
            case "input_json_delta":
                var partial = delta.GetProperty("partial_json").GetString() ?? string.Empty;
                if (partial.Length == 0)
                {
                    break;
                }
                if (_jsonObjectBlocks.Contains(index))
                {
                    Content(partial, output);
                }
                else if (_toolIndexByBlock.TryGetValue(index, out var toolIndex))
                {
                    _text.Append(partial);
                    output.Add(Chunk(d => ToolCall(d, toolIndex, null, null, partial)));
                }
                break;
        }
    }

    private void BlockStop(int index, List<byte[]> output)
    {
        if (!_thinkingByBlock.Remove(index, out var thinking))
        {
            return;
        }
        output.Add(Chunk(delta =>
        {
            delta.WriteStartArray("thinking_blocks");
            delta.WriteStartObject();
            delta.WriteString("type", "thinking");
            delta.WriteString("thinking", thinking.Thinking.ToString());
            delta.WriteString("signature", thinking.Signature ?? string.Empty);
            delta.WriteEndObject();
            delta.WriteEndArray();
        }));
    }

    private void MessageDelta(JsonElement root, List<byte[]> output)
    {
        if (root.TryGetProperty("usage", out var usage))
        {
            _usage.Read(usage);
        }
        if (root.TryGetProperty("delta", out var delta)
            && AnthropicStopReasons.ToFinishReason(AnthropicErrorMapper.Text(delta, "stop_reason"), _jsonObjectMode) is { } finish)
        {
            FinishReason = finish;
            output.Add(OpenAIResponseWriter.Chunk(_id, _created, _model, _ => { }, finish));
        }
    }

    private void StreamError(JsonElement error, List<byte[]> output)
    {
        Error = AnthropicErrorMapper.FromError(
            _provider,
            AnthropicErrorMapper.Text(error, "type") ?? "api_error",
            AnthropicErrorMapper.Text(error, "message") ?? "the stream reported an error");
        output.Add(OpenAIErrorBody.ToUtf8(Error));
        output.Add(Done);
        Finished = true;
    }

    private void Content(string text, List<byte[]> output)
    {
        _text.Append(text);
        output.Add(OpenAIResponseWriter.Chunk(_id, _created, _model, text, static (delta, t) => delta.WriteString("content", t), null));
    }

    /// <summary>
    /// The event's content block <c>index</c>. One that is not a whole number in <see cref="int"/>'s range (a fraction,
    /// 99999999999) makes the event malformed like a missing one, rather than a <see cref="FormatException"/>.
    /// </summary>
    private static int BlockIndex(JsonElement root) =>
        root.GetProperty("index") is { ValueKind: JsonValueKind.Number } index && index.TryGetInt32(out var value)
            ? value
            : throw new JsonException("The event's content block index is not a whole number in the range of a 32-bit integer.");

    /// <summary>The <c>type</c> member; the known ones without allocating a string per event.</summary>
    private static string? TypeOf(JsonElement element)
    {
        if (!element.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
        {
            return null;
        }
        foreach (var known in KnownTypes)
        {
            if (type.ValueEquals(known))
            {
                return known;
            }
        }
        return type.GetString();
    }

    private byte[] Chunk(Action<Utf8JsonWriter> writeDelta) =>
        OpenAIResponseWriter.Chunk(_id, _created, _model, writeDelta, null);

    private static void ToolCall(Utf8JsonWriter delta, int index, string? id, string? name, string arguments)
    {
        delta.WriteStartArray("tool_calls");
        delta.WriteStartObject();
        delta.WriteNumber("index", index);
        if (id is not null)
        {
            delta.WriteString("id", id);
            delta.WriteString("type", "function");
        }
        delta.WriteStartObject("function");
        if (name is not null)
        {
            delta.WriteString("name", name);
        }
        delta.WriteString("arguments", arguments);
        delta.WriteEndObject();
        delta.WriteEndObject();
        delta.WriteEndArray();
    }
}
