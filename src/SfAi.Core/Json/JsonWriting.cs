using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SfAi.Core.Json;

/// <summary>
/// Writer settings for every JSON the gateway produces: non-ASCII text (Japanese, emoji) stays as UTF-8 rather than
/// <c>\uXXXX</c> escapes, as OpenAI writes it. HTML-sensitive characters need no escaping in API bodies.
/// </summary>
public static class JsonWriting
{
    public static JsonWriterOptions Options { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] ToUtf8(JsonNode node)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            node.WriteTo(writer);
        }
        return buffer.ToArray();
    }
}
