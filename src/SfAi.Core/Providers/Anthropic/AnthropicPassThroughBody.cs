using System.Text.Json;
using System.Text.Json.Nodes;
using SfAi.Core.Json;
using SfAi.Core.ModelMap;
using SfAi.Core.Protocols.AnthropicMessages;
using SfAi.Core.Protocols.OpenAIChat;

namespace SfAi.Core.Providers.Anthropic;

/// <summary>
/// The upstream body of a Messages pass-through: every field the client sent, copied from its bytes as they are
/// (thinking signatures, <c>cache_control</c>, betas' fields), except <c>model</c> (the upstream model) and a
/// <c>max_tokens</c> above the alias's <c>maxOutputTokens</c> (cut to it); then the alias's defaults and fixes
/// (<see cref="AliasRequestShaper"/>).
/// </summary>
public static class AnthropicPassThroughBody
{
    public static byte[] Write(MessagesRequest request, AliasRoute route, bool countTokens = false)
    {
        var fields = new Fields(request);
        if (!countTokens)
        {
            AliasRequestShaper.Apply(fields, route);
        }
        return JsonWriting.Write((fields, request, route, countTokens), static (writer, state) =>
        {
            var (fields, request, route, countTokens) = state;
            writer.WriteStartObject();
            foreach (var (name, clientField, value) in fields.List)
            {
                if (countTokens && name == "max_tokens")
                {
                    continue;
                }
                writer.WritePropertyName(name);
                if (name == "model")
                {
                    writer.WriteStringValue(route.UpstreamModel);
                }
                else if (name == "max_tokens" && clientField is not null && request.MaxTokens > route.MaxOutputTokens)
                {
                    writer.WriteNumberValue(route.MaxOutputTokens.Value);
                }
                else if (clientField is { } field)
                {
                    writer.WriteRawValue(request.Json[field.Value], skipInputValidation: true);
                }
                else if (value is null)
                {
                    writer.WriteNullValue();
                }
                else
                {
                    value.WriteTo(writer);
                }
            }
            writer.WriteEndObject();
        });
    }

    /// <summary>The client's <c>anthropic-beta</c> values the alias lets through, joined as the header carries them; null when none.</summary>
    public static string? Betas(MessagesRequest request, AliasRoute route)
    {
        var kept = request.Betas.Where(beta => !route.Rewrite.DropBetas.Contains(beta, StringComparer.OrdinalIgnoreCase)).ToList();
        return kept.Count > 0 ? string.Join(",", kept) : null;
    }

    private sealed class Fields : IShapeableFields
    {
        public Fields(MessagesRequest request)
        {
            foreach (var field in request.Fields)
            {
                List.Add((request.NameOf(field), field, null));
            }
        }

        public List<(string Name, RequestField? ClientField, JsonNode? Value)> List { get; } = [];

        private int IndexOf(string name) => List.FindIndex(field => field.Name == name);

        public bool Contains(string name) => IndexOf(name) >= 0;

        public void Set(string name, JsonNode? value)
        {
            var index = IndexOf(name);
            if (index >= 0)
            {
                List[index] = (name, null, value);
            }
            else
            {
                List.Add((name, null, value));
            }
        }

        public void Rename(string from, string to)
        {
            var index = IndexOf(from);
            if (index >= 0 && !Contains(to))
            {
                List[index] = List[index] with { Name = to };
            }
            else if (index >= 0)
            {
                List.RemoveAt(index);
            }
        }

        public void Remove(string name)
        {
            var index = IndexOf(name);
            if (index >= 0)
            {
                List.RemoveAt(index);
            }
        }
    }
}
