using System.Text.Json;
using SfAi.Core.Errors;
using SfAi.Core.Json;
using SfAi.Core.Protocols;
using SfAi.Core.Protocols.AnthropicMessages;

namespace SfAi.Core.Providers.Anthropic;

/// <summary>
/// Claude through the Messages API: the OpenAI request is translated (<see cref="AnthropicRequestTranslator"/>),
/// the answer translated back, each stream event as soon as it arrives (<see cref="AnthropicStreamTranslator"/>).
/// </summary>
public sealed class AnthropicChatProvider : IChatProvider
{
    public const string ApiVersion = "2023-06-01";
    private static readonly Uri PublicBaseUrl = new("https://api.anthropic.com/v1");

    private readonly ProviderHttp _http;

    public AnthropicChatProvider(ProviderHttp http) => _http = http;

    public bool Speaks(WireProtocol protocol) => protocol == WireProtocol.AnthropicMessages;

    public async Task<CompletionOutcome> CompleteAsync(ChatCall call, IChatResponseSink sink, CancellationToken cancellationToken)
    {
        if (call.Inbound is MessagesRequest messages)
        {
            return await PassThroughAsync(call, messages, sink, cancellationToken);
        }
        var provider = call.Route.Provider;
        var translated = AnthropicRequestTranslator.Translate(call.Request, call.Route, out var dropped);
        var jsonObjectMode = translated["tool_choice"]?["name"]?.GetValue<string>() == AnthropicRequestTranslator.JsonObjectToolName;
        var body = JsonWriting.ToUtf8(translated);
        var key = await _http.KeyAsync(provider, cancellationToken);

        using var exchange = _http.Open(call, cancellationToken);
        using var response = await _http.PostAsync(exchange, call, ProviderHttp.Endpoint(provider, PublicBaseUrl, "/messages"), body,
            headers =>
            {
                headers.TryAddWithoutValidation("anthropic-version", ApiVersion);
                headers.TryAddWithoutValidation("x-api-key", key);
            },
            (status, errorBody, retryAfter) => AnthropicErrorMapper.FromResponse(provider.Name, status, errorBody, retryAfter));

        var created = _http.Time.GetUtcNow().ToUnixTimeSeconds();
        if (call.Request.Stream)
        {
            var stream = new AnthropicStreamToChat(new AnthropicStreamTranslator(
                provider.Name, call.Route.UpstreamModel, call.Request.ClientWantsUsage, jsonObjectMode, created));
            return await _http.RelayStreamAsync(response, exchange, stream, sink, cancellationToken) with { DroppedParameters = dropped };
        }

        var answer = await exchange.ReadBodyAsync(response);
        TranslatedCompletion completion;
        try
        {
            completion = AnthropicResponseTranslator.Translate(answer, created, jsonObjectMode);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new GatewayException(GatewayError.UpstreamUnavailable(provider.Name, $"its answer is not a Messages API response: {ex.Message}"), ex);
        }
        await sink.WriteJsonAsync(200, completion.Json, cancellationToken);
        return new CompletionOutcome(200, completion.Usage, completion.FinishReason, null, completion.Text) { DroppedParameters = dropped };
    }

    /// <summary>
    /// A Messages client to a Messages upstream: the client's body with only <c>model</c> rewritten
    /// (<see cref="AnthropicPassThroughBody"/>), its <c>anthropic-version</c> and <c>anthropic-beta</c> headers (less the
    /// alias's <c>dropBetas</c>), the provider's key; the answer relayed as it came, a stream event by event with its names.
    /// </summary>
    private async Task<CompletionOutcome> PassThroughAsync(ChatCall call, MessagesRequest request, IChatResponseSink sink, CancellationToken cancellationToken)
    {
        var provider = call.Route.Provider;
        using var exchange = _http.Open(call, cancellationToken);
        using var response = await PostMessagesAsync(exchange, call, request, "/messages", AnthropicPassThroughBody.Write(request, call.Route), cancellationToken);
        if (request.Stream)
        {
            return await _http.RelayStreamAsync(response, exchange, new AnthropicStreamPassThrough(provider.Name), sink, cancellationToken);
        }
        var answer = await exchange.ReadBodyAsync(response);
        var status = (int)response.StatusCode;
        var (usage, stopReason, text) = AnthropicPassThroughAnswer.Read(answer);
        await sink.WriteJsonAsync(status, answer, cancellationToken);
        return new CompletionOutcome(status, usage, stopReason, null, text);
    }

    /// <summary><c>count_tokens</c> passed through as <see cref="PassThroughAsync"/> passes a message: the upstream's answer, as it came.</summary>
    public async Task<byte[]> CountTokensAsync(ChatCall call, MessagesRequest request, CancellationToken cancellationToken)
    {
        using var exchange = _http.Open(call, cancellationToken);
        using var response = await PostMessagesAsync(exchange, call, request, "/messages/count_tokens",
            AnthropicPassThroughBody.Write(request, call.Route, countTokens: true), cancellationToken);
        return await exchange.ReadBodyAsync(response);
    }

    private async Task<HttpResponseMessage> PostMessagesAsync(
        UpstreamExchange exchange, ChatCall call, MessagesRequest request, string path, byte[] body, CancellationToken cancellationToken)
    {
        var provider = call.Route.Provider;
        var key = await _http.KeyAsync(provider, cancellationToken);
        var betas = AnthropicPassThroughBody.Betas(request, call.Route);
        return await _http.PostAsync(exchange, call, ProviderHttp.Endpoint(provider, PublicBaseUrl, path), body,
            headers =>
            {
                headers.Add("anthropic-version", request.Version ?? ApiVersion);
                if (betas is not null)
                {
                    headers.Add("anthropic-beta", betas);
                }
                headers.TryAddWithoutValidation("x-api-key", key);
            },
            (status, errorBody, retryAfter) => Relayed(AnthropicErrorMapper.FromResponse(provider.Name, status, errorBody, retryAfter), errorBody));
    }

    /// <summary>An upstream error the client can act on (its own request's fault, a rate limit) goes to a Messages client as it came.</summary>
    private static GatewayError Relayed(GatewayError error, byte[] body) => error.Status < 500 ? error with { RawBody = body } : error;
}
