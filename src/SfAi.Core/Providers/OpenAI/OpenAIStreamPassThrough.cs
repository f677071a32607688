using SfAi.Core.Errors;
using SfAi.Core.Streaming;
using SfAi.Core.Usage;

namespace SfAi.Core.Providers.OpenAI;

/// <summary>
/// An OpenAI stream relayed to an OpenAI client: each event's bytes unchanged, read on the way for the log
/// (<see cref="OpenAIResponseInspector"/>). The usage-only chunk the gateway asked for is held back when the client
/// did not ask for it; <c>[DONE]</c> ends the stream.
/// </summary>
public sealed class OpenAIStreamPassThrough : IStreamTranslator
{
    private static readonly byte[] Done = "[DONE]"u8.ToArray();
    private readonly OpenAIResponseInspector _inspector = new();
    private readonly bool _clientWantsUsage;

    public OpenAIStreamPassThrough(bool clientWantsUsage) => _clientWantsUsage = clientWantsUsage;

    public string UpstreamEventName => "a chat completion chunk";

    public string EndMarker => "[DONE]";

    public bool Finished { get; private set; }

    public GatewayError? Error { get; private set; }

    public TokenUsage? Usage => _inspector.Usage;

    public string? FinishReason => _inspector.FinishReason;

    public string CompletionText => _inspector.CompletionText;

    /// <summary>The provider named in the error a stream reports.</summary>
    public required string Provider { get; init; }

    public void Translate(ReadOnlyMemory<byte> data, List<SseEvent> output)
    {
        if (data.Span.SequenceEqual(Done))
        {
            Finished = true;
            output.Add(SseEvent.Unnamed(data));
            return;
        }
        var usageOnly = _inspector.InspectChunk(data);
        if (_inspector.UpstreamError is { } upstreamError && Error is null)
        {
            Error = GatewayError.UpstreamUnavailable(Provider, upstreamError);
        }
        if (!usageOnly || _clientWantsUsage)
        {
            output.Add(SseEvent.Unnamed(data));
        }
    }
}
