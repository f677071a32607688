using System.Text.Json;
using SfAi.Core.Errors;
using SfAi.Core.Json;

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

    public async Task<CompletionOutcome> CompleteAsync(ChatCall call, IChatResponseSink sink, CancellationToken cancellationToken)
    {
        var provider = call.Route.Provider;
        var translated = AnthropicRequestTranslator.Translate(call.Request, call.Route, out var dropped);
        var jsonObjectMode = translated["tool_choice"]?["name"]?.GetValue<string>() == AnthropicRequestTranslator.JsonObjectToolName;
        var body = JsonWriting.ToUtf8(translated);
        var key = await _http.KeyAsync(provider, cancellationToken);

        using var exchange = _http.Open(call, cancellationToken);
        using var response = await _http.PostAsync(exchange, call, ProviderHttp.Endpoint(provider, PublicBaseUrl, "/messages"), body,
            headers =>
            {
                headers.Add("anthropic-version", ApiVersion);
                headers.Add("x-api-key", key);
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
}
