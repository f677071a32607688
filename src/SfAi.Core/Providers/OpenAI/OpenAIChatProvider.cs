using SfAi.Core.Errors;
using SfAi.Core.Protocols;

namespace SfAi.Core.Providers.OpenAI;

/// <summary>
/// OpenAI and OpenAI-compatible upstreams: a faithful pass-through of chat completions, embeddings and legacy
/// completions, each to its own endpoint. The body goes up as the client sent it
/// (see <see cref="OpenAIRequestRewriter"/>); the answer comes back byte for byte, each stream event relayed
/// the moment it arrives (<see cref="OpenAIStreamPassThrough"/>).
/// </summary>
public sealed class OpenAIChatProvider : IChatProvider
{
    private static readonly Uri PublicBaseUrl = new("https://api.openai.com/v1");

    private readonly ProviderHttp _http;

    public OpenAIChatProvider(ProviderHttp http) => _http = http;

    public bool Speaks(WireProtocol protocol) => UpstreamPath(protocol) is not null;

    /// <summary>The upstream endpoint of each protocol passed through; null for one the provider does not speak.</summary>
    private static string? UpstreamPath(WireProtocol protocol) => protocol switch
    {
        WireProtocol.OpenAIChat => "/chat/completions",
        WireProtocol.OpenAIEmbeddings => "/embeddings",
        WireProtocol.OpenAICompletions => "/completions",
        _ => null,
    };

    public async Task<CompletionOutcome> CompleteAsync(ChatCall call, IChatResponseSink sink, CancellationToken cancellationToken)
    {
        var provider = call.Route.Provider;
        var request = call.Inbound as IClientFields ?? call.Request;
        var body = OpenAIRequestRewriter.Rewrite(request, call.Route);
        var path = UpstreamPath(call.Inbound.Protocol) ?? "/chat/completions";
        var key = await _http.OptionalKeyAsync(provider, cancellationToken);

        using var exchange = _http.Open(call, cancellationToken);
        using var response = await _http.PostAsync(exchange, call, ProviderHttp.Endpoint(provider, PublicBaseUrl, path), body,
            headers =>
            {
                if (key is not null)
                {
                    headers.Authorization = new("Bearer", key);
                }
            },
            (status, errorBody, retryAfter) => OpenAIErrorMapper.FromResponse(provider.Name, status, errorBody, retryAfter));

        if (request.Stream)
        {
            var stream = new OpenAIStreamPassThrough(request.ClientWantsUsage) { Provider = provider.Name };
            return await _http.RelayStreamAsync(response, exchange, stream, sink, cancellationToken);
        }
        var answer = await exchange.ReadBodyAsync(response);
        var inspector = new OpenAIResponseInspector();
        inspector.InspectCompletion(answer);
        await sink.WriteJsonAsync((int)response.StatusCode, answer, cancellationToken);
        return new CompletionOutcome((int)response.StatusCode, inspector.Usage, inspector.FinishReason, null, inspector.CompletionText);
    }
}
