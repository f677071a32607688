using SfAi.Api.Configuration;
using SfAi.Api.Exchange;
using SfAi.Api.Pipeline;
using SfAi.Core.Protocols.OpenAIResponses;

namespace SfAi.Api.Endpoints;

/// <summary><c>POST /v1/responses</c>: the Responses API request (Codex CLI, the AI SDK, the Agents SDKs), read once and parsed, run as one exchange.</summary>
internal sealed class ResponsesEndpoint
{
    private readonly ExchangeRunner _runner;
    private readonly GatewayOptions _options;

    public ResponsesEndpoint(ExchangeRunner runner, GatewayOptions options)
    {
        _runner = runner;
        _options = options;
    }

    public async Task HandleAsync(HttpContext context)
    {
        var body = await RequestBodyReader.ReadJsonAsync(context, _options.MaxRequestBodyBytes);
        var request = ResponsesRequestParser.Parse(body);
        await _runner.RunAsync(context, request, new HttpResponseSink(context, GatewayProtocol.OpenAIResponses));
    }
}
