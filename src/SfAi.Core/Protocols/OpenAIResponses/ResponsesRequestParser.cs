using System.Text.Json;
using SfAi.Core.Errors;
using SfAi.Core.Protocols.OpenAIChat;

namespace SfAi.Core.Protocols.OpenAIResponses;

/// <summary>
/// Parses and checks a Responses API request body (<c>POST /v1/responses</c>): one pass of the shared
/// <see cref="RequestBodyScanner"/> (JSON syntax, depth 256, no duplicate key at any level, where each top-level field
/// lies), then the few values the gateway acts on (<c>model</c>, <c>stream</c>) and the kinds of <c>input</c>,
/// <c>instructions</c> and <c>tools</c>. Every rejection names the field at fault, as OpenAI does.
/// </summary>
public static class ResponsesRequestParser
{
    /// <exception cref="GatewayException">The body is not a valid Responses API request.</exception>
    public static ResponsesRequest Parse(ReadOnlyMemory<byte> body)
    {
        var json = body.Span;
        var top = RequestBodyScanner.Scan(json, "'model' and 'input'");
        var model = RequestBodyScanner.Model(json, RequestBodyScanner.Find(json, top, "model"u8));
        var stream = RequestBodyScanner.OptionalBool(RequestBodyScanner.Find(json, top, "stream"u8), "stream");
        CheckKind(json, top, "input"u8, "input", "a string or an array of input items", JsonTokenType.String, JsonTokenType.StartArray);
        CheckKind(json, top, "instructions"u8, "instructions", "a string", JsonTokenType.String, JsonTokenType.String);
        CheckKind(json, top, "tools"u8, "tools", "an array", JsonTokenType.StartArray, JsonTokenType.StartArray);
        return new ResponsesRequest(body, top, model, stream);
    }

    private static void CheckKind(
        ReadOnlySpan<byte> json, RequestField[] fields, ReadOnlySpan<byte> utf8Name, string name, string expected, JsonTokenType one, JsonTokenType other)
    {
        if (RequestBodyScanner.Find(json, fields, utf8Name) is { } field && field.Kind != JsonTokenType.Null && field.Kind != one && field.Kind != other)
        {
            throw new GatewayException(GatewayError.InvalidType(name, expected, RequestBodyScanner.Describe(field.Kind)));
        }
    }
}
