using System.Text;
using SfAi.Core.Errors;
using SfAi.Core.Protocols.OpenAIResponses;
using SfAi.Core.Streaming;
using SfAi.Core.Usage;

namespace SfAi.Core.Providers.OpenAI;

/// <summary>
/// A Responses API stream relayed to a Responses client: each event's name and bytes unchanged, read on the way for the
/// log (<see cref="ResponsesInspector"/>). <c>response.completed</c>, <c>.incomplete</c>, <c>.failed</c> or <c>error</c>
/// ends it; a failure the upstream reports is the stream's error, already in the client's hands.
/// </summary>
public sealed class OpenAIResponsesStreamPassThrough : IStreamTranslator
{
    private readonly ResponsesInspector _inspector = new();

    public string UpstreamEventName => "a Responses API event";

    public string EndMarker => "response.completed";

    public bool Finished => _inspector.Ended;

    public GatewayError? Error { get; private set; }

    public TokenUsage? Usage => _inspector.Usage;

    public string? FinishReason => _inspector.FinishReason;

    public string CompletionText => _inspector.CompletionText;

    /// <summary>The provider named in the error a stream reports.</summary>
    public required string Provider { get; init; }

    public void Translate(ReadOnlyMemory<byte> data, List<SseEvent> output) => Translate(new ReceivedSseEvent(default, data), output);

    public void Translate(ReceivedSseEvent received, List<SseEvent> output)
    {
        _inspector.InspectEvent(received.Data);
        if (_inspector.UpstreamError is { } upstreamError && Error is null)
        {
            Error = GatewayError.UpstreamUnavailable(Provider, upstreamError);
        }
        output.Add(new SseEvent(received.Name.IsEmpty ? null : Encoding.UTF8.GetString(received.Name.Span), received.Data));
    }
}
