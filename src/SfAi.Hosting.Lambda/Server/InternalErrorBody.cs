using System.Text.Json;

namespace SfAi.Hosting.Lambda.Server;

/// <summary>
/// The answer to a failure that escaped the app: a 500 in the error shape of OpenAI-style APIs,
/// <c>{"error":{"message","type","param","code"}}</c>, naming the Lambda request id and nothing of the failure.
/// </summary>
internal static class InternalErrorBody
{
    public const string ContentType = "application/json";

    public static byte[] For(string requestId)
    {
        using var buffer = new MemoryStream(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("error");
            writer.WriteString("message", $"The request failed unexpectedly; the failure was logged with Lambda request id {requestId}.");
            writer.WriteString("type", "server_error");
            writer.WriteNull("param");
            writer.WriteString("code", "internal_error");
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
