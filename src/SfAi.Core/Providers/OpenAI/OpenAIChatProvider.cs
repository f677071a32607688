using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using SfAi.Core.Errors;
using SfAi.Core.ModelMap;
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

    public OpenAIChatProvider(HttpClient http, ISecretStore secrets)
    {
        _http = http;
        _secrets = secrets;
    }

    public async Task<CompletionOutcome> CompleteAsync(ChatCall call, IChatResponseSink sink, CancellationToken cancellationToken)
    {
        var provider = call.Route.Provider;
        using var request = new HttpRequestMessage(HttpMethod.Post, ChatCompletionsUrl(provider));
        request.Content = new ByteArrayContent(OpenAIRequestRewriter.Rewrite(call.Request, call.Route));
        request.Content.Headers.ContentType = JsonContentType;
        request.Headers.Accept.ParseAdd(call.Request.Stream ? "text/event-stream" : "application/json");
        if (provider.ApiKey is { } keyReference)
        {
            var key = await _secrets.GetAsync(keyReference, cancellationToken)
                ?? throw new GatewayException(GatewayError.ProviderKeyMissing(provider.Name, keyReference.Describe()));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        var started = Stopwatch.GetTimestamp();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(provider.Timeout);
        using var response = await SendAsync(request, provider, timeout, cancellationToken);
        var status = (int)response.StatusCode;
        if (status >= 400)
        {
            var errorBody = await ReadBodyAsync(response, provider, timeout, cancellationToken);
            throw new GatewayException(OpenAIUpstreamErrors.FromResponse(
                provider.Name, status, errorBody, response.Headers.RetryAfter?.ToString()));
        }

        return call.Request.Stream
            ? await RelayStreamAsync(call, response, sink, started, timeout, cancellationToken)
            : await RelayCompletionAsync(response, sink, provider, timeout, cancellationToken);
    }

    private static Uri ChatCompletionsUrl(ProviderDefinition provider)
    {
        var baseUrl = (provider.BaseUrl ?? OpenAIBaseUrl).AbsoluteUri.TrimEnd('/');
        return new Uri(baseUrl + "/chat/completions");
    }

    private async Task<HttpResponseMessage> SendAsync(
        HttpRequestMessage request, ProviderDefinition provider, CancellationTokenSource timeout, CancellationToken cancellationToken)
    {
        try
        {
            return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        }
        catch (Exception ex) when (IsTimeout(ex, timeout, cancellationToken))
        {
            throw new GatewayException(GatewayError.UpstreamTimeout(provider.Name, provider.Timeout), ex);
        }
        catch (HttpRequestException ex)
        {
            throw new GatewayException(GatewayError.UpstreamUnavailable(provider.Name, ex.Message), ex);
        }
    }

    private static async Task<byte[]> ReadBodyAsync(
        HttpResponseMessage response, ProviderDefinition provider, CancellationTokenSource timeout, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadAsByteArrayAsync(timeout.Token);
        }
        catch (Exception ex) when (IsTimeout(ex, timeout, cancellationToken))
        {
            throw new GatewayException(GatewayError.UpstreamTimeout(provider.Name, provider.Timeout), ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            throw new GatewayException(GatewayError.UpstreamUnavailable(provider.Name, ex.Message), ex);
        }
    }

    private static async Task<CompletionOutcome> RelayCompletionAsync(
        HttpResponseMessage response, IChatResponseSink sink, ProviderDefinition provider,
        CancellationTokenSource timeout, CancellationToken cancellationToken)
    {
        var body = await ReadBodyAsync(response, provider, timeout, cancellationToken);
        var inspector = new OpenAIResponseInspector();
        inspector.InspectCompletion(body);
        await sink.WriteJsonAsync((int)response.StatusCode, body, cancellationToken);
        return new CompletionOutcome((int)response.StatusCode, inspector.Usage, inspector.FinishReason, null, inspector.CompletionText);
    }

    private static async Task<CompletionOutcome> RelayStreamAsync(
        ChatCall call, HttpResponseMessage response, IChatResponseSink sink, long started,
        CancellationTokenSource timeout, CancellationToken cancellationToken)
    {
        var provider = call.Route.Provider;
        var inspector = new OpenAIResponseInspector();
        TimeSpan? firstEvent = null;
        GatewayError? streamError = null;
        await sink.StartEventStreamAsync(cancellationToken);
        try
        {
            var body = await response.Content.ReadAsStreamAsync(timeout.Token);
            await foreach (var data in SseEventReader.ReadDataAsync(body, () => timeout.CancelAfter(provider.Timeout), timeout.Token))
            {
                var isDone = data == "[DONE]";
                var usageOnly = !isDone && inspector.InspectChunk(data);
                if (usageOnly && !call.Request.ClientWantsUsage)
                {
                    continue;
                }
                await sink.WriteEventAsync(isDone ? Done : Encoding.UTF8.GetBytes(data), cancellationToken);
                firstEvent ??= Stopwatch.GetElapsedTime(started);
            }
            if (inspector.UpstreamError is { } upstreamError)
            {
                streamError = GatewayError.UpstreamUnavailable(provider.Name, upstreamError);
            }
        }
        catch (Exception ex) when (IsTimeout(ex, timeout, cancellationToken))
        {
            streamError = GatewayError.UpstreamTimeout(provider.Name, provider.Timeout);
            await sink.WriteEventAsync(OpenAIErrorBody.ToUtf8(streamError), cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            streamError = GatewayError.UpstreamUnavailable(provider.Name, $"the stream broke off: {ex.Message}");
            await sink.WriteEventAsync(OpenAIErrorBody.ToUtf8(streamError), cancellationToken);
        }

        return new CompletionOutcome(200, inspector.Usage, inspector.FinishReason, firstEvent, inspector.CompletionText, streamError);
    }

    private static bool IsTimeout(Exception ex, CancellationTokenSource timeout, CancellationToken cancellationToken) =>
        ex is OperationCanceledException && timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested;
}
