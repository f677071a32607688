using SfAi.Core.Errors;
using SfAi.Core.Protocols;
using SfAi.Core.Protocols.OpenAIResponses;

namespace SfAi.Core.Providers.OpenAI;

/// <summary>
/// OpenAI and OpenAI-compatible upstreams: a faithful pass-through. The body goes up as the client sent it
/// (see <see cref="OpenAIRequestRewriter"/>); the answer comes back byte for byte, each stream event relayed
/// the moment it arrives (<see cref="OpenAIStreamPassThrough"/>). OpenAI itself also speaks the Responses API
/// (<see cref="OpenAIResponsesPassThrough"/>); an OpenAI-compatible server is given the pivot instead.
/// </summary>
public sealed class OpenAIChatProvider : IChatProvider
{
    private static readonly Uri PublicBaseUrl = new("https://api.openai.com/v1");

    private readonly ProviderHttp _http;
    private readonly OpenAIResponsesPassThrough? _responses;

    /// <param name="http">The shared upstream helper.</param>
    /// <param name="speaksResponses">Whether the upstream serves <c>/responses</c> (OpenAI does; compatible servers mostly do not).</param>
    public OpenAIChatProvider(ProviderHttp http, bool speaksResponses = false)
    {
        _http = http;
        _responses = speaksResponses ? new OpenAIResponsesPassThrough(http) : null;
    }

    /// <summary>The Responses API's stored responses, for an upstream that speaks it (<c>null</c> otherwise).</summary>
    public OpenAIResponsesPassThrough? Responses => _responses;

    public bool Speaks(WireProtocol protocol) =>
        protocol == WireProtocol.OpenAIChat || protocol == WireProtocol.OpenAIResponses && _responses is not null;

    public async Task<CompletionOutcome> CompleteAsync(ChatCall call, IChatResponseSink sink, CancellationToken cancellationToken)
    {
        if (_responses is not null && call.Inbound is ResponsesRequest responses)
        {
            return await _responses.CompleteAsync(call, responses, sink, cancellationToken);
        }
        var provider = call.Route.Provider;
        var body = OpenAIRequestRewriter.Rewrite(call.Request, call.Route);
        var key = await _http.OptionalKeyAsync(provider, cancellationToken);

        using var exchange = _http.Open(call, cancellationToken);
        using var response = await _http.PostAsync(exchange, call, ProviderHttp.Endpoint(provider, PublicBaseUrl, "/chat/completions"), body,
            headers =>
            {
                if (key is not null)
                {
                    headers.Authorization = new("Bearer", key);
                }
            },
            (status, errorBody, retryAfter) => OpenAIErrorMapper.FromResponse(provider.Name, status, errorBody, retryAfter));

        if (call.Request.Stream)
        {
            var stream = new OpenAIStreamPassThrough(call.Request.ClientWantsUsage) { Provider = provider.Name };
            return await _http.RelayStreamAsync(response, exchange, stream, sink, cancellationToken);
        }
        var answer = await exchange.ReadBodyAsync(response);
        var inspector = new OpenAIResponseInspector();
        inspector.InspectCompletion(answer);
        await sink.WriteJsonAsync((int)response.StatusCode, answer, cancellationToken);
        return new CompletionOutcome((int)response.StatusCode, inspector.Usage, inspector.FinishReason, null, inspector.CompletionText);
    }
}
