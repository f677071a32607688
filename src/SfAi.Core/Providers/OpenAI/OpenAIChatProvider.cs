using System.Diagnostics;
using System.Net.Http.Headers;
using SfAi.Core.Errors;
using SfAi.Core.ModelMap;
using SfAi.Core.Providers.Resilience;
using SfAi.Core.Secrets;
using SfAi.Core.Streaming;

namespace SfAi.Core.Providers.OpenAI;

/// <summary>
/// OpenAI and OpenAI-compatible upstreams: a faithful pass-through. The body goes up as the client sent it
/// (see <see cref="OpenAIRequestRewriter"/>); the answer comes back byte for byte, each stream event relayed
/// the moment it arrives.
/// </summary>
public sealed class OpenAIChatProvider : IChatProvider
{
    private static readonly Uri OpenAIBaseUrl = new("https://api.openai.com/v1");
    private static readonly byte[] Done = "[DONE]"u8.ToArray();
    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json");

    private readonly HttpClient _http;
    private readonly ISecretStore _secrets;
    private readonly ProviderResilience _resilience;
    private readonly TimeProvider _time;

    public OpenAIChatProvider(HttpClient http, ISecretStore secrets, ProviderResilience resilience, TimeProvider time)
    {
        _http = http;
        _secrets = secrets;
        _resilience = resilience;
        _time = time;
    }

    public async Task<CompletionOutcome> CompleteAsync(ChatCall call, IChatResponseSink sink, CancellationToken cancellationToken)
    {
        var provider = call.Route.Provider;
        var body = OpenAIRequestRewriter.Rewrite(call.Request, call.Route);
        string? key = null;
        if (provider.ApiKey is { } keyReference)
        {
            key = await _secrets.GetAsync(keyReference, cancellationToken)
                ?? throw new GatewayException(GatewayError.ProviderKeyMissing(provider.Name, keyReference.Describe()));
        }

        HttpRequestMessage CreateRequest()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, ChatCompletionsUrl(provider)) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = JsonContentType;
            request.Headers.Accept.ParseAdd(call.Request.Stream ? "text/event-stream" : "application/json");
            request.Options.Set(UpstreamConnections.ConnectTimeout, provider.ConnectTimeout);
            if (key is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            }
            return request;
        }

        var started = Stopwatch.GetTimestamp();
        using var exchange = new UpstreamExchange(provider, call.Deadline, _time, cancellationToken);
        using var response = await exchange.SendForSuccessAsync(_http, CreateRequest, _resilience.For(provider, call.Route.UpstreamModel),
            (status, errorBody, retryAfter) => OpenAIUpstreamErrors.FromResponse(provider.Name, status, errorBody, retryAfter));

        return call.Request.Stream
            ? await RelayStreamAsync(call, response, sink, started, exchange, cancellationToken)
            : await RelayCompletionAsync(response, sink, exchange, cancellationToken);
    }

    private static Uri ChatCompletionsUrl(ProviderDefinition provider)
    {
        var baseUrl = (provider.BaseUrl ?? OpenAIBaseUrl).AbsoluteUri.TrimEnd('/');
        return new Uri(baseUrl + "/chat/completions");
    }

    private static async Task<CompletionOutcome> RelayCompletionAsync(
        HttpResponseMessage response, IChatResponseSink sink, UpstreamExchange exchange, CancellationToken cancellationToken)
    {
        var body = await exchange.ReadBodyAsync(response);
        var inspector = new OpenAIResponseInspector();
        inspector.InspectCompletion(body);
        await sink.WriteJsonAsync((int)response.StatusCode, body, cancellationToken);
        return new CompletionOutcome((int)response.StatusCode, inspector.Usage, inspector.FinishReason, null, inspector.CompletionText);
    }

    private static async Task<CompletionOutcome> RelayStreamAsync(
        ChatCall call, HttpResponseMessage response, IChatResponseSink sink, long started,
        UpstreamExchange exchange, CancellationToken cancellationToken)
    {
        var inspector = new OpenAIResponseInspector();
        TimeSpan? firstEvent = null;
        GatewayError? streamError = null;
        var ended = false;
        await sink.StartEventStreamAsync(cancellationToken);
        try
        {
            var body = await response.Content.ReadAsStreamAsync(exchange.Token);
            await foreach (var data in SseEventReader.ReadEventsAsync(body, exchange.Alive, exchange.Token))
            {
                var isDone = data.Span.SequenceEqual(Done);
                var usageOnly = !isDone && inspector.InspectChunk(data);
                if (usageOnly && !call.Request.ClientWantsUsage)
                {
                    continue;
                }
                await sink.WriteEventAsync(data, cancellationToken);
                firstEvent ??= Stopwatch.GetElapsedTime(started);
                if (isDone)
                {
                    ended = true;
                    // The rest of the body (its end) is drained when the response is disposed, so the connection goes back
                    // to the pool even if the client hangs up now, as clients do once they have [DONE].
                    break;
                }
            }
            if (inspector.UpstreamError is { } upstreamError)
            {
                streamError = GatewayError.UpstreamUnavailable(call.Route.Provider.Name, upstreamError);
            }
            else if (!ended)
            {
                streamError = GatewayError.UpstreamUnavailable(call.Route.Provider.Name, "the stream ended before [DONE]");
                await sink.WriteEventAsync(OpenAIErrorBody.ToUtf8(streamError), cancellationToken);
            }
        }
        catch (Exception ex) when (exchange.ToGatewayError(ex) is { } error)
        {
            streamError = exchange.StreamFailure(error, ex);
            await sink.WriteEventAsync(OpenAIErrorBody.ToUtf8(streamError), cancellationToken);
        }

        return new CompletionOutcome(200, inspector.Usage, ended ? inspector.FinishReason : null, firstEvent, inspector.CompletionText, streamError);
    }
}
