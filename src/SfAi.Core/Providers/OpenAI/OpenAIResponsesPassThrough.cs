using System.Text.Encodings.Web;
using System.Text.Json;
using SfAi.Core.ModelMap;
using SfAi.Core.Protocols.OpenAIResponses;

namespace SfAi.Core.Providers.OpenAI;

/// <summary>
/// A Responses API request to an OpenAI alias: the client's bytes go to the provider's <c>/responses</c> with only
/// <c>model</c> rewritten, and the answer (a <c>response</c> object, or the event stream with its <c>event:</c> names)
/// comes back byte for byte, read on the way for the log.
/// </summary>
public sealed class OpenAIResponsesPassThrough
{
    private static readonly Uri PublicBaseUrl = new("https://api.openai.com/v1");

    private readonly ProviderHttp _http;

    public OpenAIResponsesPassThrough(ProviderHttp http) => _http = http;

    /// <summary>The client's body with the upstream model in place of the alias; every other byte as the client wrote it.</summary>
    public static byte[] Rewrite(ResponsesRequest request, string upstreamModel)
    {
        var json = request.Json;
        var model = Protocols.RequestBodyScanner.Find(json, request.Fields, "model"u8)!.Value;
        var value = JsonEncodedText.Encode(upstreamModel, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).EncodedUtf8Bytes;
        var body = new byte[model.ValueStart + value.Length + 2 + (json.Length - model.ValueEnd)];
        json[..model.ValueStart].CopyTo(body);
        var at = model.ValueStart;
        body[at++] = (byte)'"';
        value.CopyTo(body.AsSpan(at));
        at += value.Length;
        body[at++] = (byte)'"';
        json[model.ValueEnd..].CopyTo(body.AsSpan(at));
        return body;
    }

    /// <summary>
    /// Relays a <c>GET</c> or <c>DELETE</c> of a response OpenAI stored (<paramref name="path"/>: <c>/responses/{id}</c>
    /// or <c>/responses/{id}/input_items</c>, with the client's query) to the client as it comes: JSON, or the response's
    /// events when <paramref name="stream"/> (a background response read with <c>stream=true</c>).
    /// </summary>
    public async Task RelayStoredAsync(AliasRoute route, HttpMethod method, string path, bool stream, IChatResponseSink sink, CancellationToken cancellationToken)
    {
        var provider = route.Provider;
        var key = await _http.OptionalKeyAsync(provider, cancellationToken);
        using var exchange = new UpstreamExchange(provider, null, _http.Time, cancellationToken);
        using var response = await _http.SendAsync(exchange, route, method, ProviderHttp.Endpoint(provider, PublicBaseUrl, path), stream,
            ProviderHttp.Bearer(key),
            (status, errorBody, retryAfter) => OpenAIErrorMapper.FromResponse(provider.Name, status, errorBody, retryAfter));
        if (stream)
        {
            await _http.RelayStreamAsync(response, exchange, new OpenAIResponsesStreamPassThrough { Provider = provider.Name }, sink, cancellationToken);
            return;
        }
        await sink.WriteJsonAsync((int)response.StatusCode, await exchange.ReadBodyAsync(response), cancellationToken);
    }

    public async Task<CompletionOutcome> CompleteAsync(ChatCall call, ResponsesRequest request, IChatResponseSink sink, CancellationToken cancellationToken)
    {
        var provider = call.Route.Provider;
        var body = Rewrite(request, call.Route.UpstreamModel);
        var key = await _http.OptionalKeyAsync(provider, cancellationToken);

        using var exchange = _http.Open(call, cancellationToken);
        using var response = await _http.PostAsync(exchange, call, ProviderHttp.Endpoint(provider, PublicBaseUrl, "/responses"), body,
            ProviderHttp.Bearer(key),
            (status, errorBody, retryAfter) => OpenAIErrorMapper.FromResponse(provider.Name, status, errorBody, retryAfter));

        if (request.Stream)
        {
            var stream = new OpenAIResponsesStreamPassThrough { Provider = provider.Name };
            return await _http.RelayStreamAsync(response, exchange, stream, sink, cancellationToken);
        }
        var answer = await exchange.ReadBodyAsync(response);
        var inspector = new ResponsesInspector();
        inspector.InspectResponse(answer);
        await sink.WriteJsonAsync((int)response.StatusCode, answer, cancellationToken);
        return new CompletionOutcome((int)response.StatusCode, inspector.Usage, inspector.FinishReason, null, inspector.CompletionText);
    }
}
