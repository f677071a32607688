using System.Diagnostics;
using SfAi.Core.Protocols;
using SfAi.Core.Protocols.OpenAIChat;
using SfAi.Core.Protocols.OpenAIEmbeddings;
using SfAi.Core.Usage;

namespace SfAi.Core.Providers.Echo;

/// <summary>
/// An offline provider for trying the gateway without any key: it answers <c>You said: …</c> with the latest
/// user message, word by word when streaming, with usage estimated (<see cref="TokenCounter.EstimatePrompt"/>) so that
/// it never waits for the tokenizer to load.
/// An embeddings alias on echo gets offline vectors (<see cref="EchoEmbeddings"/>).
/// It is only reached through an alias that names it; it never stands in for a failing provider.
/// </summary>
public sealed class EchoChatProvider : IChatProvider
{
    private const string Prefix = "You said: ";
    private readonly TimeProvider _time;

    public EchoChatProvider(TimeProvider time) => _time = time;

    public static string ReplyTo(ChatRequest request)
    {
        var latest = ConversationText.From(request.Messages).LatestUserMessage;
        return Prefix + (string.IsNullOrEmpty(latest) ? "(no user message)" : latest);
    }

    /// <summary>Embeddings too, offline (<see cref="EchoEmbeddings"/>).</summary>
    public bool Speaks(WireProtocol protocol) => protocol == WireProtocol.OpenAIEmbeddings;

    public async Task<CompletionOutcome> CompleteAsync(ChatCall call, IChatResponseSink sink, CancellationToken cancellationToken)
    {
        if (call.Inbound is EmbeddingsRequest embeddings)
        {
            var (json, embeddingUsage) = EchoEmbeddings.Answer(embeddings, call.Route.UpstreamModel);
            await sink.WriteJsonAsync(200, json, cancellationToken);
            return new CompletionOutcome(200, embeddingUsage, null, null, null);
        }
        var started = Stopwatch.GetTimestamp();
        var reply = ReplyTo(call.Request);
        var usage = new TokenUsage(TokenCounter.EstimatePrompt(call.Request.Messages), TokenCounter.EstimateText(reply), Estimated: true);
        var id = "chatcmpl-" + call.RequestId;
        var created = _time.GetUtcNow().ToUnixTimeSeconds();
        var model = call.Route.UpstreamModel;

        if (!call.Request.Stream)
        {
            await sink.WriteJsonAsync(200, OpenAIResponseWriter.Completion(id, created, model, reply, "stop", usage), cancellationToken);
            return new CompletionOutcome(200, usage, "stop", null, reply);
        }

        await sink.StartEventStreamAsync(cancellationToken);
        await sink.WriteEventAsync(OpenAIResponseWriter.Chunk(id, created, model, "assistant", string.Empty, null), cancellationToken);
        var firstEvent = Stopwatch.GetElapsedTime(started);
        foreach (var piece in Words(reply))
        {
            await sink.WriteEventAsync(OpenAIResponseWriter.Chunk(id, created, model, null, piece, null), cancellationToken);
        }
        await sink.WriteEventAsync(OpenAIResponseWriter.Chunk(id, created, model, null, null, "stop"), cancellationToken);
        if (call.Request.ClientWantsUsage)
        {
            await sink.WriteEventAsync(OpenAIResponseWriter.UsageChunk(id, created, model, usage), cancellationToken);
        }
        await sink.WriteEventAsync("[DONE]"u8.ToArray(), cancellationToken);
        return new CompletionOutcome(200, usage, "stop", firstEvent, reply);
    }

    /// <summary>Splits text after each space, so the pieces join back to the exact text.</summary>
    internal static IEnumerable<string> Words(string text)
    {
        var start = 0;
        while (start < text.Length)
        {
            var space = text.IndexOf(' ', start);
            var end = space < 0 ? text.Length : space + 1;
            yield return text[start..end];
            start = end;
        }
    }
}
