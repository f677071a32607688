using SfAi.Api.Configuration;
using SfAi.Api.Exchange;
using SfAi.Api.Pipeline;
using SfAi.Core.Protocols.OpenAIChat;

namespace SfAi.Api.Endpoints;

/// <summary><c>POST /v1/chat/completions</c>: the OpenAI chat request, read once and parsed, run as one exchange.</summary>
internal sealed class ChatCompletionsEndpoint
{
    private readonly ExchangeRunner _runner;
    private readonly GatewayOptions _options;

    public ChatCompletionsEndpoint(ExchangeRunner runner, GatewayOptions options)
    {
        _runner = runner;
        _options = options;
    }

    public async Task HandleAsync(HttpContext context)
    {
        var body = await RequestBodyReader.ReadJsonAsync(context, _options.MaxRequestBodyBytes);
        var request = ChatRequestParser.Parse(body);
        await _runner.RunAsync(context, request, new HttpResponseSink(context, GatewayProtocol.OpenAIChat));
    }
}
