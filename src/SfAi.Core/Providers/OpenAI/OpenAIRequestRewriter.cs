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
        if (!AliasRequestShaper.Changes(route) && !(askForUsage && HasField(request, "stream_options"u8)))
        {
            return Splice(request, route.UpstreamModel, askForUsage);
        }
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

    /// <summary>
    /// The commonest rewrite, done on the bytes: the client's body with only the value of <c>model</c> replaced and, on
    /// a stream that names no <c>stream_options</c>, <c>"stream_options":{"include_usage":true}</c> added after the last field.
    /// </summary>
    private static byte[] Splice(IClientFields request, string upstreamModel, bool askForUsage)
    {
        var json = request.Json;
        var model = ModelField(request);
        var value = JsonEncodedText.Encode(upstreamModel, JsonWriting.Options.Encoder).EncodedUtf8Bytes;
        var usage = askForUsage ? AskForUsage : [];
        var body = new byte[json.Length - (model.ValueEnd - model.ValueStart) + value.Length + 2 + usage.Length];
        var written = Copy(json[..model.ValueStart], body, 0);
        body[written++] = (byte)'"';
        written = Copy(value, body, written);
        body[written++] = (byte)'"';
        var rest = json[model.ValueEnd..];
        if (usage.Length > 0)
        {
            var beforeEnd = request.Fields[^1].ValueEnd - model.ValueEnd;
            written = Copy(rest[..beforeEnd], body, written);
            written = Copy(usage, body, written);
            rest = rest[beforeEnd..];
        }
        Copy(rest, body, written);
        return body;
    }

    private static ReadOnlySpan<byte> AskForUsage => ""","stream_options":{"include_usage":true}"""u8;

    private static int Copy(ReadOnlySpan<byte> from, byte[] to, int at)
    {
        from.CopyTo(to.AsSpan(at));
        return at + from.Length;
    }

    private static RequestField ModelField(IClientFields request)
    {
        foreach (var field in request.Fields)
        {
            if (request.IsNamed(field, "model"u8))
            {
                return field;
            }
        }
        throw new InvalidOperationException("A request without a model is refused before it is rewritten.");
    }

    private static bool HasField(IClientFields request, ReadOnlySpan<byte> utf8Name)
    {
        foreach (var field in request.Fields)
        {
            if (request.IsNamed(field, utf8Name))
            {
                return true;
            }
        }
        return false;
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
                var isIncludeUsage = reader.TextIs("include_usage"u8);
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
