using System.Text.Json;
using SfAi.Core.Errors;
using SfAi.Core.Json;

namespace SfAi.Core.Protocols.OpenAIResponses;

/// <summary>
/// Errors as Responses API clients read them: a JSON body in OpenAI's shape (<see cref="OpenAIErrorBody"/>); inside a
/// stream, an <c>error</c> event (<c>{"type":"error","code","message","param","sequence_number"}</c>).
/// </summary>
public static class ResponsesErrorWriter
{
    public const string ErrorEventName = "error";

    public static byte[] ErrorEvent(GatewayError error, int sequenceNumber) =>
        JsonWriting.Write((error, sequenceNumber), static (writer, state) =>
        {
            writer.WriteStartObject();
            writer.WriteString("type", ErrorEventName);
            writer.WriteString("code", state.error.Code ?? state.error.Type);
            writer.WriteString("message", state.error.Message);
            if (state.error.Param is { } param)
            {
                writer.WriteString("param", param);
            }
            else
            {
                writer.WriteNull("param");
            }
            writer.WriteNumber("sequence_number", state.sequenceNumber);
            writer.WriteEndObject();
        });

    /// <summary>The <c>error</c> object of a failed <c>response</c>: <c>{"code","message"}</c>.</summary>
    public static void WriteResponseError(Utf8JsonWriter writer, GatewayError error)
    {
        writer.WriteStartObject("error");
        writer.WriteString("code", error.Code ?? error.Type);
        writer.WriteString("message", error.Message);
        writer.WriteEndObject();
    }
}
