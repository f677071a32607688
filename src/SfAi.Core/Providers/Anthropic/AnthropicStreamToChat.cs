using SfAi.Core.Errors;
using SfAi.Core.Streaming;
using SfAi.Core.Usage;

namespace SfAi.Core.Providers.Anthropic;

/// <summary>An Anthropic stream told to an OpenAI chat client: each event through <see cref="AnthropicStreamTranslator"/>.</summary>
public sealed class AnthropicStreamToChat : IStreamTranslator
{
    private readonly AnthropicStreamTranslator _translator;
    private readonly List<byte[]> _chunks = new(4);

    public AnthropicStreamToChat(AnthropicStreamTranslator translator) => _translator = translator;

    public string UpstreamEventName => "a Messages API event";

    public string EndMarker => "message_stop";

    public bool Finished => _translator.Finished;

    public GatewayError? Error => _translator.Error;

    public TokenUsage? Usage => _translator.Usage;

    public string? FinishReason => _translator.FinishReason;

    public string CompletionText => _translator.CompletionText;

    public void Translate(ReadOnlyMemory<byte> data, List<SseEvent> output)
    {
        _chunks.Clear();
        _translator.Translate(data, _chunks);
        foreach (var chunk in _chunks)
        {
            output.Add(SseEvent.Unnamed(chunk));
        }
    }
}
