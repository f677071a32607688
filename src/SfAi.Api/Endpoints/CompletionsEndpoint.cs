using SfAi.Api.Configuration;
using SfAi.Api.Exchange;
using SfAi.Api.Pipeline;
using SfAi.Core.Protocols.OpenAICompletions;

namespace SfAi.Api.Endpoints;

/// <summary><c>POST /v1/completions</c> (legacy, fill-in-the-middle): the request read once and checked, passed through to a completions alias's provider as one exchange.</summary>
internal sealed class CompletionsEndpoint
{
    private readonly ExchangeRunner _runner;
    private readonly GatewayOptions _options;

    public CompletionsEndpoint(ExchangeRunner runner, GatewayOptions options)
    {
        _runner = runner;
        _options = options;
    }

    public async Task HandleAsync(HttpContext context)
    {
        var body = await RequestBodyReader.ReadJsonAsync(context, _options.MaxRequestBodyBytes);
        var request = CompletionsRequestParser.Parse(body);
        await _runner.RunAsync(context, request, new HttpResponseSink(context, GatewayProtocol.OpenAIChat));
    }
}
