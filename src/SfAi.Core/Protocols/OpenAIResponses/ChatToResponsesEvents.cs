using System.Text.Json;
using SfAi.Core.Errors;
using SfAi.Core.Json;
using SfAi.Core.Providers;
using SfAi.Core.Usage;

namespace SfAi.Core.Protocols.OpenAIResponses;

/// <summary>
/// The pivot's answer written to a Responses API client: a <c>chat.completion</c> body becomes a <c>response</c>
/// (<see cref="ChatToResponses"/>); chat chunks become the Responses event sequence as they arrive —
/// <c>response.created</c>, <c>response.in_progress</c>, then per output item <c>response.output_item.added</c>, its
/// deltas (<c>response.reasoning_summary_text.delta</c>, <c>response.output_text.delta</c> inside a content part,
/// <c>response.function_call_arguments.delta</c>), their <c>.done</c> events and <c>response.output_item.done</c>, and at
/// the end <c>response.completed</c> or <c>response.incomplete</c> with the usage; a failure is <c>response.failed</c>.
/// Every event carries its <c>sequence_number</c>.
/// </summary>
public sealed class ChatToResponsesEvents : IChatResponseSink
{
    private readonly ResponsesTranslation _translation;
    private readonly IChatResponseSink _client;
    private readonly string _id = "resp_" + ResponseOutputItem.NewId();
    private readonly List<ResponseOutputItem> _output = [];
    private ResponseOutputItem? _open;
    private int _sequence;
    private readonly TimeProvider _time;
    private long _createdAt;
    private string _model;
    private string? _finishReason;
    private TokenUsage? _usage;
    private bool _ended;

    public ChatToResponsesEvents(ResponsesTranslation translation, IChatResponseSink client, TimeProvider time)
    {
        _translation = translation;
        _client = client;
        _time = time;
        _createdAt = time.GetUtcNow().ToUnixTimeSeconds();
        _model = translation.Chat.Model;
    }

    public bool HasStarted => _client.HasStarted;

    public ValueTask WriteJsonAsync(int status, ReadOnlyMemory<byte> json, CancellationToken cancellationToken) =>
        _client.WriteJsonAsync(status, ChatToResponses.FromCompletion(_translation, json, _time), cancellationToken);

    public async ValueTask StartEventStreamAsync(CancellationToken cancellationToken)
    {
        await _client.StartEventStreamAsync(cancellationToken);
        await LifecycleAsync("response.created", "in_progress", null, null, cancellationToken);
        await LifecycleAsync("response.in_progress", "in_progress", null, null, cancellationToken);
    }

    public async ValueTask WriteEventAsync(string? name, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (_ended)
        {
            return;
        }
        if (data.Span.SequenceEqual("[DONE]"u8))
        {
            await CloseOpenItemAsync(cancellationToken);
            var (status, incomplete) = ResponseObjectWriter.StatusOf(_finishReason);
            await LifecycleAsync(status == "completed" ? "response.completed" : "response.incomplete", status, incomplete, null, cancellationToken);
            _ended = true;
            return;
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(data);
        }
        catch (JsonException ex)
        {
            await FailAsync(new GatewayError(502, "upstream_error", "upstream_unavailable", null,
                $"The upstream stream sent an event that is not a chat completion chunk: {ex.Message}", ErrorKinds.UpstreamError), cancellationToken);
            return;
        }
        using var _ = document;
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return;
        }
        if (root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
        {
            await FailAsync(new GatewayError(502, ChatToResponses.Text(error, "type") ?? "upstream_error", ChatToResponses.Text(error, "code"), null,
                ChatToResponses.Text(error, "message") ?? "the upstream reported an error", ErrorKinds.UpstreamError), cancellationToken);
            return;
        }
        if (root.TryGetProperty("created", out var created) && created.ValueKind == JsonValueKind.Number && created.TryGetInt64(out var seconds))
        {
            _createdAt = seconds;
        }
        _model = ChatToResponses.Text(root, "model") ?? _model;
        if (root.TryGetProperty("usage", out var usage) && OpenAIUsageReader.Read(usage) is { } read)
        {
            _usage = read;
        }
        if (!root.TryGetProperty("choices", out var choices) || choices.ValueKind != JsonValueKind.Array || choices.GetArrayLength() == 0)
        {
            return;
        }
        var choice = choices[0];
        if (choice.ValueKind != JsonValueKind.Object)
        {
            return;
        }
        if (choice.TryGetProperty("delta", out var delta) && delta.ValueKind == JsonValueKind.Object)
        {
            if (ChatToResponses.Text(delta, "reasoning_content") is { Length: > 0 } reasoning)
            {
                await ReasoningAsync(reasoning, cancellationToken);
            }
            if (ChatToResponses.Text(delta, "content") is { Length: > 0 } content)
            {
                await TextAsync(content, cancellationToken);
            }
            if (delta.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array)
            {
                foreach (var call in calls.EnumerateArray().Where(c => c.ValueKind == JsonValueKind.Object))
                {
                    await ToolCallAsync(call, cancellationToken);
                }
            }
        }
        if (ChatToResponses.Text(choice, "finish_reason") is { } finishReason)
        {
            _finishReason = finishReason;
        }
    }

    public ValueTask WriteErrorEventAsync(GatewayError error, CancellationToken cancellationToken) =>
        _ended ? ValueTask.CompletedTask : FailAsync(error, cancellationToken);

    private async ValueTask FailAsync(GatewayError error, CancellationToken cancellationToken)
    {
        _ended = true;
        await LifecycleAsync("response.failed", "failed", null, error, cancellationToken);
    }

    private async ValueTask ReasoningAsync(string text, CancellationToken cancellationToken)
    {
        var item = await OpenAsync(ResponseOutputKind.Reasoning, null, cancellationToken);
        if (item.Text.Length == 0)
        {
            await PartEventAsync("response.reasoning_summary_part.added", item, static (w, _) => ResponseOutputItem.WriteSummaryPart(w, string.Empty), "summary_index", cancellationToken);
        }
        item.Text.Append(text);
        await EventAsync("response.reasoning_summary_text.delta", (item, text, this), static (w, s) =>
        {
            s.Item3.WriteItemRef(w, s.item);
            w.WriteNumber("summary_index", 0);
            w.WriteString("delta", s.text);
        }, cancellationToken);
    }

    private async ValueTask TextAsync(string text, CancellationToken cancellationToken)
    {
        var item = await OpenAsync(ResponseOutputKind.Message, null, cancellationToken);
        if (item.Text.Length == 0)
        {
            await PartEventAsync("response.content_part.added", item, static (w, _) => ResponseOutputItem.WriteTextPart(w, string.Empty), "content_index", cancellationToken);
        }
        item.Text.Append(text);
        await EventAsync("response.output_text.delta", (item, text, this), static (w, s) =>
        {
            s.Item3.WriteItemRef(w, s.item);
            w.WriteNumber("content_index", 0);
            w.WriteString("delta", s.text);
            w.WriteStartArray("logprobs");
            w.WriteEndArray();
        }, cancellationToken);
    }

    private async ValueTask ToolCallAsync(JsonElement call, CancellationToken cancellationToken)
    {
        var index = call.TryGetProperty("index", out var i) && i.ValueKind == JsonValueKind.Number && i.TryGetInt32(out var n) ? n : 0;
        var function = call.TryGetProperty("function", out var f) ? f : default;
        var item = _open is { Kind: ResponseOutputKind.FunctionCall } open && open.ToolIndex == index
            ? open
            : await OpenAsync(ResponseOutputKind.FunctionCall,
                ResponseOutputItem.FunctionCall(ChatToResponses.Text(call, "id"), ChatToResponses.Text(function, "name") ?? string.Empty, index, _translation),
                cancellationToken);
        if (ChatToResponses.Text(function, "arguments") is { Length: > 0 } arguments)
        {
            item.Text.Append(arguments);
            await EventAsync("response.function_call_arguments.delta", (item, arguments, this), static (w, s) =>
            {
                s.Item3.WriteItemRef(w, s.item);
                w.WriteString("delta", s.arguments);
            }, cancellationToken);
        }
    }

    /// <summary>The open item of <paramref name="kind"/>, or a new one (<paramref name="item"/> or a fresh one), the previous one closed first.</summary>
    private async ValueTask<ResponseOutputItem> OpenAsync(ResponseOutputKind kind, ResponseOutputItem? item, CancellationToken cancellationToken)
    {
        if (item is null && _open?.Kind == kind)
        {
            return _open;
        }
        await CloseOpenItemAsync(cancellationToken);
        _open = item ?? (kind == ResponseOutputKind.Message ? ResponseOutputItem.Message() : ResponseOutputItem.Reasoning());
        _output.Add(_open);
        await EventAsync("response.output_item.added", (_open, _output.Count - 1), static (w, s) =>
        {
            w.WriteNumber("output_index", s.Item2);
            w.WritePropertyName("item");
            s._open.WriteTo(w, done: false);
        }, cancellationToken);
        return _open;
    }

    private async ValueTask CloseOpenItemAsync(CancellationToken cancellationToken)
    {
        if (_open is not { } item)
        {
            return;
        }
        _open = null;
        var text = item.Text.ToString();
        switch (item.Kind)
        {
            case ResponseOutputKind.Message:
                await EventAsync("response.output_text.done", (item, text, this), static (w, s) =>
                {
                    s.Item3.WriteItemRef(w, s.item);
                    w.WriteNumber("content_index", 0);
                    w.WriteString("text", s.text);
                    w.WriteStartArray("logprobs");
                    w.WriteEndArray();
                }, cancellationToken);
                await PartEventAsync("response.content_part.done", item, static (w, t) => ResponseOutputItem.WriteTextPart(w, t), "content_index", cancellationToken);
                break;
            case ResponseOutputKind.Reasoning:
                await EventAsync("response.reasoning_summary_text.done", (item, text, this), static (w, s) =>
                {
                    s.Item3.WriteItemRef(w, s.item);
                    w.WriteNumber("summary_index", 0);
                    w.WriteString("text", s.text);
                }, cancellationToken);
                await PartEventAsync("response.reasoning_summary_part.done", item, static (w, t) => ResponseOutputItem.WriteSummaryPart(w, t), "summary_index", cancellationToken);
                break;
            case ResponseOutputKind.FunctionCall:
                await EventAsync("response.function_call_arguments.done", (item, text, this), static (w, s) =>
                {
                    s.Item3.WriteItemRef(w, s.item);
                    w.WriteString("arguments", s.text);
                }, cancellationToken);
                break;
        }
        await EventAsync("response.output_item.done", (item, this), static (w, s) =>
        {
            w.WriteNumber("output_index", s.Item2.IndexOf(s.item));
            w.WritePropertyName("item");
            s.item.WriteTo(w, done: true);
        }, cancellationToken);
    }

    /// <summary>A <c>content_part</c> or <c>reasoning_summary_part</c> event: the item, the part's index and the part.</summary>
    private ValueTask PartEventAsync(string type, ResponseOutputItem item, Action<Utf8JsonWriter, string> writePart, string indexName, CancellationToken cancellationToken) =>
        EventAsync(type, (item, writePart, indexName, this), static (w, s) =>
        {
            s.Item4.WriteItemRef(w, s.item);
            w.WriteNumber(s.indexName, 0);
            w.WritePropertyName("part");
            s.writePart(w, s.item.Text.ToString());
        }, cancellationToken);

    private void WriteItemRef(Utf8JsonWriter writer, ResponseOutputItem item)
    {
        writer.WriteString("item_id", item.Id);
        writer.WriteNumber("output_index", IndexOf(item));
    }

    private int IndexOf(ResponseOutputItem item) => _output.IndexOf(item);

    private ValueTask LifecycleAsync(string type, string status, string? incompleteReason, GatewayError? error, CancellationToken cancellationToken) =>
        EventAsync(type, (this, status, incompleteReason, error), static (w, s) =>
        {
            w.WritePropertyName("response");
            ResponseObjectWriter.Write(w, s.Item1._id, s.Item1._createdAt, s.Item1._model, s.status, s.incompleteReason,
                s.status == "in_progress" ? [] : s.Item1._output, s.status == "in_progress" ? null : s.Item1._usage, s.error);
        }, cancellationToken);

    private ValueTask EventAsync<TState>(string type, TState state, Action<Utf8JsonWriter, TState> write, CancellationToken cancellationToken)
    {
        var data = JsonWriting.Write((type, _sequence++, state, write), static (writer, s) =>
        {
            writer.WriteStartObject();
            writer.WriteString("type", s.type);
            writer.WriteNumber("sequence_number", s.Item2);
            s.write(writer, s.state);
            writer.WriteEndObject();
        });
        return _client.WriteEventAsync(type, data, cancellationToken);
    }
}
