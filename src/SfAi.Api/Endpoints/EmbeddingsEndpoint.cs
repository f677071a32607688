using SfAi.Api.Configuration;
using SfAi.Api.Exchange;
using SfAi.Api.Pipeline;
using SfAi.Core.Protocols.OpenAIEmbeddings;

namespace SfAi.Api.Endpoints;

/// <summary><c>POST /v1/embeddings</c>: the request read once and checked, passed through to an embeddings alias's provider as one exchange.</summary>
internal sealed class EmbeddingsEndpoint
{
    private readonly ExchangeRunner _runner;
    private readonly GatewayOptions _options;

    public EmbeddingsEndpoint(ExchangeRunner runner, GatewayOptions options)
    {
        _runner = runner;
        _options = options;
    }

    public async Task HandleAsync(HttpContext context)
    {
        var body = await RequestBodyReader.ReadJsonAsync(context, _options.MaxRequestBodyBytes);
        var request = EmbeddingsRequestParser.Parse(body);
        await _runner.RunAsync(context, request, new HttpResponseSink(context, GatewayProtocol.OpenAIChat));
    }
}
