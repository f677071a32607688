using System.Collections;
using System.Text.Json.Nodes;

namespace SfAi.Core.Protocols.OpenAIChat;

/// <summary>
/// The top-level fields of a request as an alias wants it, in order. Values are the client's own JSON nodes (or the
/// alias's), shared rather than copied — a conversation of megabytes is never cloned — so nothing may change them:
/// providers read them and write them out.
/// </summary>
public sealed class ShapedRequest : IEnumerable<KeyValuePair<string, JsonNode?>>, IShapeableFields
{
    private readonly List<KeyValuePair<string, JsonNode?>> _fields;

    internal ShapedRequest(List<KeyValuePair<string, JsonNode?>> fields) => _fields = fields;

    public JsonNode? this[string name] => IndexOf(name) is var i and >= 0 ? _fields[i].Value : null;

    public bool Contains(string name) => IndexOf(name) >= 0;

    internal int IndexOf(string name) => _fields.FindIndex(field => field.Key == name);

    void IShapeableFields.Set(string name, JsonNode? value)
    {
        var index = IndexOf(name);
        if (index >= 0)
        {
            _fields[index] = new(name, value);
        }
        else
        {
            _fields.Add(new(name, value));
        }
    }

    void IShapeableFields.Rename(string from, string to)
    {
        var index = IndexOf(from);
        if (index >= 0 && !Contains(to))
        {
            _fields[index] = new(to, _fields[index].Value);
        }
        else if (index >= 0)
        {
            _fields.RemoveAt(index);
        }
    }

    void IShapeableFields.Remove(string name)
    {
        var index = IndexOf(name);
        if (index >= 0)
        {
            _fields.RemoveAt(index);
        }
    }

    public IEnumerator<KeyValuePair<string, JsonNode?>> GetEnumerator() => _fields.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
