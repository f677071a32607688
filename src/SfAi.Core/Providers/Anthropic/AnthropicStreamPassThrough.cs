using System.Text;
using System.Text.Json;
using SfAi.Core.Errors;
using SfAi.Core.Streaming;
using SfAi.Core.Usage;

namespace SfAi.Core.Providers.Anthropic;

/// <summary>
/// A Messages stream relayed to a Messages client: each event's name and bytes unchanged (<c>ping</c> included), read on
/// the way for the log — usage (cache reads and writes too) from <c>message_start</c> and <c>message_delta</c>, the stop
/// reason, the text; an <c>error</c> event is the stream's error; <c>message_stop</c> ends it.
/// </summary>
public sealed class AnthropicStreamPassThrough : IStreamTranslator
{
    private readonly AnthropicUsage _usage = new();
    private readonly StringBuilder _text = new();
    private readonly string _provider;

    public AnthropicStreamPassThrough(string provider) => _provider = provider;

    public string UpstreamEventName => "a Messages API event";

    public string EndMarker => "message_stop";

    public bool Finished { get; private set; }

    public GatewayError? Error { get; private set; }

    public TokenUsage? Usage => _usage.ToTokenUsage();

    public string? FinishReason { get; private set; }

    public string CompletionText => _text.ToString();

    public void Translate(ReadOnlyMemory<byte> data, List<SseEvent> output) => Translate(new ReceivedSseEvent(default, data), output);

    public void Translate(ReceivedSseEvent received, List<SseEvent> output)
    {
        using var document = JsonDocument.Parse(received.Data);
        var root = document.RootElement;
        var type = AnthropicErrorMapper.Text(root, "type") ?? string.Empty;
        output.Add(new SseEvent(NameOf(received.Name.Span, type), received.Data));
        switch (type)
        {
            case "message_start" when root.TryGetProperty("message", out var message) && message.TryGetProperty("usage", out var usage):
                _usage.Read(usage);
                break;
            case "message_delta":
                if (root.TryGetProperty("usage", out var deltaUsage))
                {
                    _usage.Read(deltaUsage);
                }
                if (root.TryGetProperty("delta", out var delta) && AnthropicErrorMapper.Text(delta, "stop_reason") is { } stop)
                {
                    FinishReason = stop;
                }
                break;
            case "content_block_delta" when root.TryGetProperty("delta", out var blockDelta):
                _text.Append(AnthropicErrorMapper.Text(blockDelta, "text") ?? AnthropicErrorMapper.Text(blockDelta, "partial_json"));
                break;
            case "message_stop":
                Finished = true;
                break;
            case "error":
                var error = root.TryGetProperty("error", out var e) ? e : default;
                Error ??= AnthropicErrorMapper.FromError(_provider,
                    error.ValueKind == JsonValueKind.Object ? AnthropicErrorMapper.Text(error, "type") ?? "api_error" : "api_error",
                    error.ValueKind == JsonValueKind.Object ? AnthropicErrorMapper.Text(error, "message") ?? string.Empty : string.Empty);
                Finished = true;
                break;
        }
    }

    /// <summary>The event's own name (its data's <c>type</c>, already read, when they agree), or that type when it came unnamed.</summary>
    private static string NameOf(ReadOnlySpan<byte> name, string type) =>
        name.IsEmpty || Ascii.Equals(name, type) ? type : Encoding.UTF8.GetString(name);
}
