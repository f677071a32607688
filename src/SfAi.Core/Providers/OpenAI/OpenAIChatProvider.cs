using SfAi.Core.Errors;
using SfAi.Core.Protocols;
using SfAi.Core.Protocols.OpenAIResponses;

namespace SfAi.Core.Providers.OpenAI;

/// <summary>
/// OpenAI and OpenAI-compatible upstreams: a faithful pass-through of chat completions, embeddings and legacy
/// completions, each to its own endpoint. The body goes up as the client sent it
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
        UpstreamPath(protocol) is not null || protocol == WireProtocol.OpenAIResponses && _responses is not null;

    /// <summary>The upstream endpoint of each protocol passed through as chat-like JSON; null for one the provider does not speak so.</summary>
    private static string? UpstreamPath(WireProtocol protocol) => protocol switch
    {
        WireProtocol.OpenAIChat => "/chat/completions",
        WireProtocol.OpenAIEmbeddings => "/embeddings",
        WireProtocol.OpenAICompletions => "/completions",
        _ => null,
    };

    public async Task<CompletionOutcome> CompleteAsync(ChatCall call, IChatResponseSink sink, CancellationToken cancellationToken)
    {
        if (_responses is not null && call.Inbound is ResponsesRequest responses)
        {
            return await _responses.CompleteAsync(call, responses, sink, cancellationToken);
        }
        var provider = call.Route.Provider;
        var request = call.Inbound as IClientFields ?? call.Request;
        var body = OpenAIRequestRewriter.Rewrite(request, call.Route);
        var path = UpstreamPath(call.Inbound.Protocol) ?? "/chat/completions";
        var key = await _http.OptionalKeyAsync(provider, cancellationToken);

        using var exchange = _http.Open(call, cancellationToken);
        using var response = await _http.PostAsync(exchange, call, ProviderHttp.Endpoint(provider, PublicBaseUrl, path), body,
            ProviderHttp.Bearer(key),
            (status, errorBody, retryAfter) => OpenAIErrorMapper.FromResponse(provider.Name, status, errorBody, retryAfter));

        if (request.Stream)
        {
            var stream = new OpenAIStreamPassThrough(request.ClientWantsUsage) { Provider = provider.Name };
            return await _http.RelayStreamAsync(response, exchange, stream, sink, cancellationToken);
        }
        using var answer = await exchange.ReadPooledBodyAsync(response);
        var inspector = new OpenAIResponseInspector();
        inspector.InspectCompletion(answer.Memory);
        await sink.WriteJsonAsync((int)response.StatusCode, answer.Memory, cancellationToken);
        return new CompletionOutcome((int)response.StatusCode, inspector.Usage, inspector.FinishReason, null, inspector.CompletionText);
    }
}
