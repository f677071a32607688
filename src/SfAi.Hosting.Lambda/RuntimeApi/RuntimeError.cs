using System.Text.Json;

namespace SfAi.Hosting.Lambda.RuntimeApi;

/// <summary>
/// An error as the Runtime API takes it: the JSON <c>{"errorMessage","errorType","stackTrace"}</c>
/// (<c>application/vnd.aws.lambda.error+json</c>), its type also in <c>Lambda-Runtime-Function-Error-Type</c>.
/// </summary>
internal sealed record RuntimeError(string Type, string Message, IReadOnlyList<string> StackTrace)
{
    public const string TypeHeader = "Lambda-Runtime-Function-Error-Type";

    public const string BodyTrailer = "Lambda-Runtime-Function-Error-Body";

    public RuntimeError(string type, string message)
        : this(type, message, [])
    {
    }

    /// <summary>An exception's type, message and stack, for Lambda's own records (never for the HTTP client).</summary>
    public static RuntimeError From(Exception exception) => new(
        exception.GetType().Name,
        exception.Message,
        exception.StackTrace?.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? []);

    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("errorMessage", Message);
            writer.WriteString("errorType", Type);
            writer.WriteStartArray("stackTrace");
            foreach (var frame in StackTrace)
            {
                writer.WriteStringValue(frame);
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
