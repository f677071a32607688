using System.Text.Json;
using System.Text.Json.Nodes;
using SfAi.Core.Protocols.OpenAIChat;
using SfAi.Core.Json;
using SfAi.Core.ModelMap;
using SfAi.Core.Protocols;

namespace SfAi.Core.Providers.OpenAI;

/// <summary>
/// Builds the upstream body of a pass-through call: the client's JSON with every field it sent, except
/// <c>model</c> (the upstream model), shaped by the alias (<see cref="AliasRequestShaper"/>), with usage always
/// asked for on streams unless the alias drops <c>stream_options</c>. Each field the client sent is copied from its
/// bytes as they are (no JSON tree is built); only <c>model</c>, <c>stream_options</c> and the alias's values are written.
/// </summary>
public static class OpenAIRequestRewriter
{
    private const string StreamOptions = "stream_options";

    public static byte[] Rewrite(ChatRequest request, AliasRoute route) => Rewrite((IClientFields)request, route);

    /// <summary>The upstream body of any request an OpenAI upstream takes as sent: chat, embeddings, legacy completions.</summary>
    internal static byte[] Rewrite(IClientFields request, AliasRoute route)
    {
        var askForUsage = request.Stream && !route.Rewrite.Drop.Contains(StreamOptions);
        if (!AliasRequestShaper.Changes(route))
        {
            return JsonWriting.Write((request, route.UpstreamModel, askForUsage), static (writer, body) =>
            {
                writer.WriteStartObject();
                var hasStreamOptions = false;
                foreach (var field in body.request.Fields)
                {
                    if (body.request.IsNamed(field, "model"u8))
                    {
                        writer.WriteString("model", body.UpstreamModel);
                    }
                    else if (body.askForUsage && body.request.IsNamed(field, "stream_options"u8))
                    {
                        hasStreamOptions = true;
                        WriteStreamOptions(writer, body.request, field, null);
                    }
                    else
                    {
                        WriteClientField(writer, body.request, field, null);
                    }
                }
                if (body.askForUsage && !hasStreamOptions)
                {
                    WriteStreamOptions(writer, body.request, null, null);
                }
                writer.WriteEndObject();
            });
        }

        var shaped = new ShapedFields(request);
        AliasRequestShaper.Apply(shaped, route);
        return JsonWriting.Write((shaped, request, route.UpstreamModel, askForUsage), static (writer, body) =>
        {
            writer.WriteStartObject();
            foreach (var (name, clientField, value) in body.shaped.Fields)
            {
                switch (name)
                {
                    case "model":
                        writer.WriteString(name, body.UpstreamModel);
                        break;
                    case StreamOptions when body.askForUsage:
                        WriteStreamOptions(writer, body.request, clientField, value as JsonObject);
                        break;
                    default:
                        if (clientField is { } field)
                        {
                            WriteClientField(writer, body.request, field, name);
                        }
                        else
                        {
                            writer.WritePropertyName(name);
                            WriteValue(writer, value);
                        }
                        break;
                }
            }
            if (body.askForUsage && !body.shaped.Contains(StreamOptions))
            {
                WriteStreamOptions(writer, body.request, null, null);
            }
            writer.WriteEndObject();
        });
    }

    /// <summary>A field the client sent, its value copied byte for byte; under its own name, or under <paramref name="name"/>.</summary>
    private static void WriteClientField(Utf8JsonWriter writer, IClientFields request, RequestField field, string? name)
    {
        if (name is not null)
        {
            writer.WritePropertyName(name);
        }
        else if (field.NameEscaped)
        {
            writer.WritePropertyName(request.NameOf(field));
        }
        else
        {
            writer.WritePropertyName(request.Json[field.NameStart..field.NameEnd]);
        }
        writer.WriteRawValue(request.Json[field.Value], skipInputValidation: true);
    }

    /// <summary>
    /// <c>stream_options</c> with <c>include_usage: true</c> and the other options of the client's (<paramref name="clientField"/>,
    /// when it is an object) or the alias's (<paramref name="aliasOptions"/>).
    /// </summary>
    private static void WriteStreamOptions(Utf8JsonWriter writer, IClientFields request, RequestField? clientField, JsonObject? aliasOptions)
    {
        writer.WriteStartObject(StreamOptions);
        if (clientField is { Kind: JsonTokenType.StartObject } field)
        {
            var options = request.Json[field.Value];
            var reader = new Utf8JsonReader(options, ChatRequestParser.ReaderOptions);
            reader.Read();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isIncludeUsage = reader.ValueTextEquals("include_usage"u8);
                var name = reader.ValueIsEscaped ? reader.GetString() : null;
                var nameSpan = reader.ValueSpan;
                reader.Read();
                var valueStart = (int)reader.TokenStartIndex;
                reader.Skip();
                if (!isIncludeUsage)
                {
                    if (name is not null)
                    {
                        writer.WritePropertyName(name);
                    }
                    else
                    {
                        writer.WritePropertyName(nameSpan);
                    }
                    writer.WriteRawValue(options[valueStart..(int)reader.BytesConsumed], skipInputValidation: true);
                }
            }
        }
        foreach (var (name, value) in aliasOptions ?? [])
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

    /// <summary>The top-level fields as the alias shapes them: each the client's (by position in its bytes) or the alias's value.</summary>
    private sealed class ShapedFields : IShapeableFields
    {
        public ShapedFields(IClientFields request)
        {
            foreach (var field in request.Fields)
            {
                Fields.Add((request.NameOf(field), field, null));
            }
        }

        public List<(string Name, RequestField? ClientField, JsonNode? Value)> Fields { get; } = [];

        private int IndexOf(string name) => Fields.FindIndex(field => field.Name == name);

        public bool Contains(string name) => IndexOf(name) >= 0;

        public void Set(string name, JsonNode? value)
        {
            var index = IndexOf(name);
            if (index >= 0)
            {
                Fields[index] = (name, null, value);
            }
            else
            {
                Fields.Add((name, null, value));
            }
        }

        public void Rename(string from, string to)
        {
            var index = IndexOf(from);
            if (index >= 0 && !Contains(to))
            {
                Fields[index] = Fields[index] with { Name = to };
            }
            else if (index >= 0)
            {
                Fields.RemoveAt(index);
            }
        }

        public void Remove(string name)
        {
            var index = IndexOf(name);
            if (index >= 0)
            {
                Fields.RemoveAt(index);
            }
        }
    }
}
