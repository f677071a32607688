using System.Text.Json;
using SfAi.Core.Errors;
using SfAi.Core.Json;
using SfAi.Core.Providers;

namespace SfAi.Core.Protocols.AnthropicMessages;

/// <summary>
/// Takes the pivot's answer (a <c>chat.completion</c>, or chat chunks) and writes it to a Messages client: a whole
/// answer through <see cref="ChatToMessages"/>; a stream event by event as the chunks come — <c>message_start</c> on the
/// first chunk, a <c>content_block_start</c>/<c>delta</c>/<c>stop</c> run per text, thinking or tool-use block with
/// indexes in order (tool arguments as <c>input_json_delta</c>), and at <c>[DONE]</c> the <c>message_delta</c> with the
/// stop reason and usage, then <c>message_stop</c>. The pivot's error event goes out as Messages' <c>error</c> event.
/// </summary>
public sealed class ChatToMessagesSink : IChatResponseSink
{
    private readonly IChatResponseSink _client;
    private readonly Dictionary<int, int> _toolBlocks = [];
    private bool _started;
    private int _blockCount;
    private BlockKind _open;
    private string? _finishReason;
    private ChatUsage _usage;

    public ChatToMessagesSink(IChatResponseSink client) => _client = client;

    private enum BlockKind
    {
        None,
        Text,
        Thinking,
        ToolUse,
    }

    public bool HasStarted => _client.HasStarted;

    public ValueTask WriteJsonAsync(int status, ReadOnlyMemory<byte> json, CancellationToken cancellationToken) =>
        _client.WriteJsonAsync(status, status == 200 ? ChatToMessages.Convert(json.Span) : json, cancellationToken);

    public ValueTask StartEventStreamAsync(CancellationToken cancellationToken) => _client.StartEventStreamAsync(cancellationToken);

    public ValueTask WriteErrorEventAsync(GatewayError error, CancellationToken cancellationToken) =>
        _client.WriteErrorEventAsync(error, cancellationToken);

    public async ValueTask WriteEventAsync(string? name, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (data.Span.SequenceEqual("[DONE]"u8))
        {
            await FinishAsync(cancellationToken);
            return;
        }
        using var chunk = TryParse(data);
        if (chunk?.RootElement is not { ValueKind: JsonValueKind.Object } root)
        {
            return;
        }
        if (root.TryGetProperty("error", out var error))
        {
            var message = error.ValueKind == JsonValueKind.Object ? ChatToMessages.Text(error, "message") : null;
            await _client.WriteErrorEventAsync(GatewayError.UpstreamUnavailable("upstream", $"the stream reported an error: {message ?? error.GetRawText()}"), cancellationToken);
            return;
        }
        if (!_started)
        {
            _started = true;
            await SendAsync("message_start", MessageStart(root), cancellationToken);
        }
        if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
        {
            _usage = ChatUsage.From(root);
        }
        if (!root.TryGetProperty("choices", out var choices) || choices.ValueKind != JsonValueKind.Array || choices.GetArrayLength() == 0)
        {
            return;
        }
        var choice = choices[0];
        if (ChatToMessages.Text(choice, "finish_reason") is { } finish)
        {
            _finishReason = finish;
        }
        if (!choice.TryGetProperty("delta", out var delta) || delta.ValueKind != JsonValueKind.Object)
        {
            return;
        }
        if (ChatToMessages.Text(delta, "reasoning_content") is { Length: > 0 } reasoning)
        {
            await EnsureBlockAsync(BlockKind.Thinking, null, null, cancellationToken);
            await DeltaAsync(_blockCount - 1, "thinking_delta", "thinking", reasoning, cancellationToken);
        }
        if (ChatToMessages.Text(delta, "content") is { Length: > 0 } text)
        {
            await EnsureBlockAsync(BlockKind.Text, null, null, cancellationToken);
            await DeltaAsync(_blockCount - 1, "text_delta", "text", text, cancellationToken);
        }
        if (delta.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array)
        {
            foreach (var call in calls.EnumerateArray())
            {
                await ToolCallAsync(call, cancellationToken);
            }
        }
    }

    private async ValueTask ToolCallAsync(JsonElement call, CancellationToken cancellationToken)
    {
        var index = call.TryGetProperty("index", out var i) && i.TryGetInt32(out var n) ? n : 0;
        var function = call.TryGetProperty("function", out var f) && f.ValueKind == JsonValueKind.Object ? f : default;
        if (!_toolBlocks.TryGetValue(index, out var block))
        {
            await EnsureBlockAsync(BlockKind.ToolUse, ChatToMessages.Text(call, "id") ?? $"toolu_{index}", ChatToMessages.Text(function, "name") ?? string.Empty, cancellationToken);
            block = _blockCount - 1;
            _toolBlocks[index] = block;
        }
        if (ChatToMessages.Text(function, "arguments") is { Length: > 0 } arguments)
        {
            await DeltaAsync(block, "input_json_delta", "partial_json", arguments, cancellationToken);
        }
    }

    /// <summary>Opens a block of <paramref name="kind"/> unless one is open (a tool-use block is always new), closing the open one first.</summary>
    private async ValueTask EnsureBlockAsync(BlockKind kind, string? toolId, string? toolName, CancellationToken cancellationToken)
    {
        if (_open == kind && kind != BlockKind.ToolUse)
        {
            return;
        }
        await CloseBlockAsync(cancellationToken);
        var index = _blockCount++;
        _open = kind;
        var data = JsonWriting.Write((index, kind, toolId, toolName), static (writer, s) =>
        {
            writer.WriteStartObject();
            writer.WriteString("type", "content_block_start");
            writer.WriteNumber("index", s.index);
            writer.WriteStartObject("content_block");
            switch (s.kind)
            {
                case BlockKind.Text:
                    writer.WriteString("type", "text");
                    writer.WriteString("text", string.Empty);
                    break;
                case BlockKind.Thinking:
                    writer.WriteString("type", "thinking");
                    writer.WriteString("thinking", string.Empty);
                    writer.WriteString("signature", string.Empty);
                    break;
                default:
                    writer.WriteString("type", "tool_use");
                    writer.WriteString("id", s.toolId);
                    writer.WriteString("name", s.toolName);
                    writer.WriteStartObject("input");
                    writer.WriteEndObject();
                    break;
            }
            writer.WriteEndObject();
            writer.WriteEndObject();
        });
        await SendAsync("content_block_start", data, cancellationToken);
    }

    private async ValueTask CloseBlockAsync(CancellationToken cancellationToken)
    {
        if (_open == BlockKind.None)
        {
            return;
        }
        _open = BlockKind.None;
        var data = JsonWriting.Write(_blockCount - 1, static (writer, index) =>
        {
            writer.WriteStartObject();
            writer.WriteString("type", "content_block_stop");
            writer.WriteNumber("index", index);
            writer.WriteEndObject();
        });
        await SendAsync("content_block_stop", data, cancellationToken);
    }

    private ValueTask DeltaAsync(int index, string type, string field, string value, CancellationToken cancellationToken) =>
        SendAsync("content_block_delta", JsonWriting.Write((index, type, field, value), static (writer, s) =>
        {
            writer.WriteStartObject();
            writer.WriteString("type", "content_block_delta");
            writer.WriteNumber("index", s.index);
            writer.WriteStartObject("delta");
            writer.WriteString("type", s.type);
            writer.WriteString(s.field, s.value);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }), cancellationToken);

    private async ValueTask FinishAsync(CancellationToken cancellationToken)
    {
        if (!_started)
        {
            _started = true;
            await SendAsync("message_start", MessageStart(default), cancellationToken);
        }
        await CloseBlockAsync(cancellationToken);
        var delta = JsonWriting.Write((MessagesStopReasons.FromFinishReason(_finishReason), _usage), static (writer, s) =>
        {
            writer.WriteStartObject();
            writer.WriteString("type", "message_delta");
            writer.WriteStartObject("delta");
            writer.WriteString("stop_reason", s.Item1);
            writer.WriteNull("stop_sequence");
            writer.WriteEndObject();
            s.Item2.Write(writer);
            writer.WriteEndObject();
        });
        await SendAsync("message_delta", delta, cancellationToken);
        await SendAsync("message_stop", """{"type":"message_stop"}"""u8.ToArray(), cancellationToken);
    }

    /// <summary>A chunk that is no JSON is read as no chunk, as the OpenAI stream's own reader reads it.</summary>
    private static JsonDocument? TryParse(ReadOnlyMemory<byte> data)
    {
        try
        {
            return JsonDocument.Parse(data);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static byte[] MessageStart(JsonElement chunk) => JsonWriting.Write(chunk, static (writer, c) =>
    {
        writer.WriteStartObject();
        writer.WriteString("type", "message_start");
        writer.WriteStartObject("message");
        writer.WriteString("id", ChatToMessages.MessageId(ChatToMessages.Text(c, "id")));
        writer.WriteString("type", "message");
        writer.WriteString("role", "assistant");
        writer.WriteString("model", ChatToMessages.Text(c, "model") ?? string.Empty);
        writer.WriteStartArray("content");
        writer.WriteEndArray();
        writer.WriteNull("stop_reason");
        writer.WriteNull("stop_sequence");
        default(ChatUsage).Write(writer);
        writer.WriteEndObject();
        writer.WriteEndObject();
    });

    private ValueTask SendAsync(string name, byte[] data, CancellationToken cancellationToken) =>
        _client.WriteEventAsync(name, data, cancellationToken);
}
