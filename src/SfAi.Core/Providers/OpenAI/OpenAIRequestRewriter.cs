using System.Text.Json;
using System.Text.Json.Nodes;
using SfAi.Core.Chat;
using SfAi.Core.Json;
using SfAi.Core.ModelMap;

namespace SfAi.Core.Providers.OpenAI;

/// <summary>
/// Builds the upstream body of a pass-through call: the client's JSON with every field it sent, except
/// <c>model</c> (the upstream model), shaped by the alias (<see cref="AliasRequestShaper"/>), with usage always
/// asked for on streams unless the alias drops <c>stream_options</c>. Written straight from the client's nodes.
/// </summary>
public static class OpenAIRequestRewriter
{
    private const string StreamOptions = "stream_options";

    public static byte[] Rewrite(ChatRequest request, AliasRoute route)
    {
        var shaped = AliasRequestShaper.Shape(request, route);
        var askForUsage = request.Stream && !route.Rewrite.Drop.Contains(StreamOptions);
        return JsonWriting.Write((shaped, route.UpstreamModel, askForUsage), static (writer, body) =>
        {
            writer.WriteStartObject();
            foreach (var (name, value) in body.shaped)
            {
                switch (name)
                {
                    case "model":
                        writer.WriteString(name, body.UpstreamModel);
                        break;
                    case StreamOptions when body.askForUsage:
                        WriteStreamOptions(writer, value as JsonObject);
                        break;
                    default:
                        writer.WritePropertyName(name);
                        WriteValue(writer, value);
                        break;
                }
            }
            if (body.askForUsage && !body.shaped.Contains(StreamOptions))
            {
                WriteStreamOptions(writer, null);
            }
            writer.WriteEndObject();
        });
    }

    private static void WriteStreamOptions(Utf8JsonWriter writer, JsonObject? clientOptions)
    {
        writer.WriteStartObject(StreamOptions);
        foreach (var (name, value) in clientOptions ?? [])
        {
            if (name != "include_usage")
            {
                writer.WritePropertyName(name);
                WriteValue(writer, value);
            }
        }
        writer.WriteBoolean("include_usage", true);
        writer.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter writer, JsonNode? value)
    {
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            value.WriteTo(writer);
        }
    }
}
