using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using SfAi.Core.Errors;
using SfAi.Core.Json;
using SfAi.Core.ModelMap;
using SfAi.Core.Providers.Resilience;
using SfAi.Core.Secrets;
using SfAi.Core.Streaming;

namespace SfAi.Core.Providers.Anthropic;

/// <summary>
/// Claude through the Messages API: the OpenAI request is translated (<see cref="AnthropicRequestTranslator"/>),
/// the answer translated back, each stream event as soon as it arrives (<see cref="AnthropicStreamTranslator"/>).
/// </summary>
public sealed class AnthropicChatProvider : IChatProvider
{
    public const string ApiVersion = "2023-06-01";
    private static readonly Uri AnthropicBaseUrl = new("https://api.anthropic.com/v1");
    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json");

    private readonly HttpClient _http;
    private readonly ISecretStore _secrets;
    private readonly ProviderResilience _resilience;
    private readonly TimeProvider _time;

    public AnthropicChatProvider(HttpClient http, ISecretStore secrets, ProviderResilience resilience, TimeProvider time)
    {
        _http = http;
        _secrets = secrets;
        _resilience = resilience;
        _time = time;
    }

    public async Task<CompletionOutcome> CompleteAsync(ChatCall call, IChatResponseSink sink, CancellationToken cancellationToken)
    {
        var provider = call.Route.Provider;
        var translated = AnthropicRequestTranslator.Translate(call.Request, call.Route, out var dropped);
        var jsonObjectMode = translated["tool_choice"]?["name"]?.GetValue<string>() == AnthropicRequestTranslator.JsonObjectToolName;
        var body = JsonWriting.ToUtf8(translated);
        var keyReference = provider.ApiKey ?? new SecretReference(null, null);
        var key = await _secrets.GetAsync(keyReference, cancellationToken)
            ?? throw new GatewayException(GatewayError.ProviderKeyMissing(provider.Name, keyReference.Describe()));

        HttpRequestMessage CreateRequest()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, MessagesUrl(provider)) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = JsonContentType;
            request.Headers.Add("anthropic-version", ApiVersion);
            request.Headers.Add("x-api-key", key);
            request.Headers.Accept.ParseAdd(call.Request.Stream ? "text/event-stream" : "application/json");
            request.Options.Set(UpstreamConnections.ConnectTimeout, provider.ConnectTimeout);
            return request;
        }

        var started = Stopwatch.GetTimestamp();
        using var exchange = new UpstreamExchange(provider, call.Deadline, _time, cancellationToken);
        using var response = await exchange.SendForSuccessAsync(_http, CreateRequest, _resilience.For(provider, call.Route.UpstreamModel),
            (status, errorBody, retryAfter) => AnthropicErrorMapper.FromResponse(provider.Name, status, errorBody, retryAfter));

        var created = _time.GetUtcNow().ToUnixTimeSeconds();
        if (!call.Request.Stream)
        {
            var answer = await exchange.ReadBodyAsync(response);
            TranslatedCompletion completion;
            try
            {
                completion = AnthropicResponseTranslator.Translate(answer, created, jsonObjectMode);
            }
            catch (Exception ex) when (IsMalformed(ex))
            {
                throw new GatewayException(GatewayError.UpstreamUnavailable(provider.Name, $"its answer is not a Messages API response: {ex.Message}"), ex);
            }
            await sink.WriteJsonAsync(200, completion.Json, cancellationToken);
            return new CompletionOutcome(200, completion.Usage, completion.FinishReason, null, completion.Text) { DroppedParameters = dropped };
        }

        var translator = new AnthropicStreamTranslator(provider.Name, call.Route.UpstreamModel, call.Request.ClientWantsUsage, jsonObjectMode, created);
        TimeSpan? firstEvent = null;
        GatewayError? streamError = null;
        var output = new List<byte[]>(4);
        await sink.StartEventStreamAsync(cancellationToken);
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(exchange.Token);
            await foreach (var data in SseEventReader.ReadEventsAsync(stream, exchange.Alive, exchange.Token))
            {
                output.Clear();
                translator.Translate(data, output);
                foreach (var chunk in output)
                {
                    await sink.WriteEventAsync(chunk, cancellationToken);
                    firstEvent ??= Stopwatch.GetElapsedTime(started);
                }
                if (translator.Finished)
                {
                    // The rest of the body (its end) is drained when the response is disposed, so the connection goes back
                    // to the pool even if the client hangs up now, as clients do once they have the last event.
                    break;
                }
            }
            streamError = translator.Error;
            if (!translator.Finished)
            {
                streamError = GatewayError.UpstreamUnavailable(provider.Name, "the stream ended before message_stop");
                await sink.WriteEventAsync(OpenAIErrorBody.ToUtf8(streamError), cancellationToken);
            }
        }
        catch (Exception ex) when (exchange.ToGatewayError(ex) is { } error)
        {
            streamError = exchange.StreamFailure(error, ex);
            await sink.WriteEventAsync(OpenAIErrorBody.ToUtf8(streamError), cancellationToken);
        }
        catch (Exception ex) when (IsMalformed(ex))
        {
            streamError = GatewayError.UpstreamUnavailable(provider.Name, $"the stream sent an event that is not a Messages API event: {ex.Message}");
            await sink.WriteEventAsync(OpenAIErrorBody.ToUtf8(streamError), cancellationToken);
        }

        return new CompletionOutcome(200, translator.Usage, translator.FinishReason, firstEvent, translator.CompletionText, streamError) { DroppedParameters = dropped };
    }

    private static bool IsMalformed(Exception ex) => ex is JsonException or KeyNotFoundException or InvalidOperationException;

    private static Uri MessagesUrl(ProviderDefinition provider) =>
        new((provider.BaseUrl ?? AnthropicBaseUrl).AbsoluteUri.TrimEnd('/') + "/messages");
}
