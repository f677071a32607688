using System.Diagnostics;
using SfAi.Core.Errors;
using SfAi.Core.Streaming;

namespace SfAi.Core.Providers;

/// <summary>
/// Relays an upstream event stream to the client through a provider's <see cref="IStreamTranslator"/>, each event
/// flushed as it comes, and is the one place that decides how the stream ended: normally; early (the upstream stopped
/// before its end event, or sent an event the translator cannot read), flagged to the client and logged as an upstream
/// error; broken off (connection, timeout, an event over the cap), likewise; or left by the client, which is thrown as
/// <see cref="ClientClosedException"/> with nothing more written.
/// </summary>
public static class StreamRelay
{
    public static async Task<CompletionOutcome> RelayAsync(
        HttpResponseMessage response, UpstreamExchange exchange, IStreamTranslator translator, IChatResponseSink sink,
        int maxEventBytes, CancellationToken cancellationToken)
    {
        TimeSpan? firstEvent = null;
        GatewayError? streamError;
        var output = new List<SseEvent>(4);
        await sink.StartEventStreamAsync(cancellationToken);
        try
        {
            var body = await response.Content.ReadAsStreamAsync(exchange.Token);
            await foreach (var received in SseEventReader.ReadNamedEventsAsync(body, exchange.Alive, maxEventBytes, exchange.Token))
            {
                output.Clear();
                Translate(translator, received, output, exchange.ProviderName);
                foreach (var outbound in output)
                {
                    await sink.WriteEventAsync(outbound.Name, outbound.Data, cancellationToken);
                    firstEvent ??= Stopwatch.GetElapsedTime(exchange.StartTimestamp);
                }
                if (translator.Finished)
                {
                    // The rest of the body (its end) is drained when the response is disposed, so the connection goes back
                    // to the pool even if the client hangs up now, as clients do once they have the last event.
                    break;
                }
            }
            streamError = translator.Error;
            if (streamError is null && !translator.Finished)
            {
                streamError = GatewayError.UpstreamUnavailable(exchange.ProviderName, $"the stream ended before {translator.EndMarker}");
                await sink.WriteErrorEventAsync(streamError, cancellationToken);
            }
        }
        catch (UnreadableEventException ex)
        {
            streamError = ex.Error;
            await sink.WriteErrorEventAsync(streamError, cancellationToken);
        }
        catch (Exception ex) when (exchange.ToGatewayError(ex) is { } error)
        {
            streamError = exchange.StreamFailure(error, ex);
            await sink.WriteErrorEventAsync(streamError, cancellationToken);
        }

        var endedNormally = translator.Finished && translator.Error is null;
        return new CompletionOutcome(200, translator.Usage, endedNormally ? translator.FinishReason : null, firstEvent,
            translator.CompletionText, streamError);
    }

    /// <summary>A translator that cannot read an event (whatever it throws) ends the stream as the upstream's fault.</summary>
    private static void Translate(IStreamTranslator translator, ReceivedSseEvent received, List<SseEvent> output, string provider)
    {
        try
        {
            translator.Translate(received, output);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            throw new UnreadableEventException(GatewayError.UpstreamUnavailable(provider,
                $"the stream sent an event that is not {translator.UpstreamEventName}: {ex.Message}"));
        }
    }

    private sealed class UnreadableEventException(GatewayError error) : Exception(error.Message)
    {
        public GatewayError Error { get; } = error;
    }
}
