using System.Text.Json;
using SfAi.Core.Errors;
using SfAi.Core.Json;
using SfAi.Core.Protocols.OpenAIChat;

namespace SfAi.Core.Protocols.OpenAICompletions;

/// <summary>Parses and checks a legacy completion request; every rejection names the field at fault, as OpenAI does.</summary>
public static class CompletionsRequestParser
{
    /// <summary>The most prompts one request may complete (OpenAI's batch limit).</summary>
    public const int MaxPrompts = 2048;

    /// <exception cref="GatewayException">The body is not a valid completion request.</exception>
    public static CompletionsRequest Parse(ReadOnlyMemory<byte> body)
    {
        var fields = RequestBodyScanner.Scan(body.Span, "'model' and 'prompt'");
        var json = body.Span;
        var model = RequestBodyScanner.Model(json, RequestBodyScanner.Find(json, fields, "model"u8));
        var prompt = RequestBodyScanner.Find(json, fields, "prompt"u8) is { Kind: not JsonTokenType.Null } field
            ? TextInputs.Read(body, field, "prompt", MaxPrompts)
            : TextInputs.None;
        if (RequestBodyScanner.Find(json, fields, "suffix"u8) is { Kind: not (JsonTokenType.String or JsonTokenType.Null) } suffix)
        {
            throw RequestBodyScanner.Reject(GatewayError.InvalidType("suffix", "a string", RequestBodyScanner.Describe(suffix.Kind)));
        }
        var stream = RequestBodyScanner.OptionalBool(RequestBodyScanner.Find(json, fields, "stream"u8), "stream");
        var options = RequestBodyScanner.Find(json, fields, "stream_options"u8);
        if (options is { Kind: not (JsonTokenType.Null or JsonTokenType.StartObject) } invalid)
        {
            throw RequestBodyScanner.Reject(GatewayError.InvalidType("stream_options", "an object", RequestBodyScanner.Describe(invalid.Kind)));
        }
        return new CompletionsRequest(body, fields, model, prompt, stream, stream && IncludesUsage(json, options));
    }

    private static bool IncludesUsage(ReadOnlySpan<byte> json, RequestField? options)
    {
        if (options is not { Kind: JsonTokenType.StartObject } field)
        {
            return false;
        }
        var reader = new Utf8JsonReader(json[field.Value], ChatRequestParser.ReaderOptions);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isIncludeUsage = reader.TextIs("include_usage"u8);
            reader.Read();
            if (isIncludeUsage)
            {
                return reader.TokenType == JsonTokenType.True;
            }
            reader.Skip();
        }
        return false;
    }
}
