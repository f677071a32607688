using SfAi.Core.Errors;
using SfAi.Core.Providers;

namespace SfAi.Core.Protocols.OpenAIResponses;

/// <summary>
/// The way back from the pivot for Responses API clients (<see cref="ChatToResponsesEvents"/>). A translated alias keeps
/// no state: a request that needs stored responses (<c>previous_response_id</c>) or that has no input is refused here,
/// before anything is sent upstream.
/// </summary>
public sealed class ResponsesCodec : IProtocolCodec
{
    private readonly TimeProvider _time;

    public ResponsesCodec(TimeProvider time) => _time = time;

    public WireProtocol Protocol => WireProtocol.OpenAIResponses;

    public IChatResponseSink FromChat(InboundRequest request, IChatResponseSink client)
    {
        var responses = (ResponsesRequest)request;
        if (RequestBodyScanner.Find(responses.Json, responses.Fields, "previous_response_id"u8) is { Kind: not System.Text.Json.JsonTokenType.Null })
        {
            throw new GatewayException(GatewayError.BadRequest(
                $"'previous_response_id' needs an OpenAI alias: '{request.Model}' is translated and the gateway keeps no responses for it. Send the whole conversation in 'input' (with 'store': false, as Codex does).",
                "previous_response_id", "unsupported_parameter"));
        }
        var translation = responses.Translation;
        if (!translation.HasInput)
        {
            throw new GatewayException(GatewayError.BadRequest("'input' is missing or empty: send the conversation as a string or an array of input items.", "input"));
        }
        return new ChatToResponsesEvents(translation, client, _time);
    }
}
