using System.Text.Json;
using SfAi.Core.Json;

namespace SfAi.Core.Errors;

/// <summary>Writes a <see cref="GatewayError"/> as OpenAI's error JSON.</summary>
public static class OpenAIErrorBody
{
    public static byte[] ToUtf8(GatewayError error)
    {
        if (error.RawBody is { } raw)
        {
            return raw.ToArray();
        }

        using var buffer = new MemoryStream(256);
        using (var writer = new Utf8JsonWriter(buffer, JsonWriting.Options))
        {
            Write(writer, error);
        }
        return buffer.ToArray();
    }

    public static void Write(Utf8JsonWriter writer, GatewayError error)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("error");
        writer.WriteString("message", error.Message);
        writer.WriteString("type", error.Type);
        WriteNullable(writer, "param", error.Param);
        WriteNullable(writer, "code", error.Code);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }
}
