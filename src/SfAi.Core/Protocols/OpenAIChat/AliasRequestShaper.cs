using System.Text.Json.Nodes;
using SfAi.Core.ModelMap;

namespace SfAi.Core.Protocols.OpenAIChat;

/// <summary>
/// The client's request as the alias wants it, still in OpenAI's format: the alias defaults the client did not
/// send, then the alias's fixes (rename, drop, pin). Neither the client's body nor the alias is changed or copied.
/// </summary>
public static class AliasRequestShaper
{
    public static ShapedRequest Shape(ChatRequest request, AliasRoute route)
    {
        var shaped = new ShapedRequest([.. request.Body]);
        Apply(shaped, route);
        return shaped;
    }

    /// <summary>Whether the alias changes anything in a request.</summary>
    internal static bool Changes(AliasRoute route) => route.Defaults.Count > 0 || !route.Rewrite.IsEmpty;

    /// <summary>The alias's defaults and fixes, in their order, on any top-level field list (a tree's or the client's bytes').</summary>
    internal static void Apply<TFields>(TFields fields, AliasRoute route) where TFields : IShapeableFields
    {
        foreach (var (name, value) in route.Defaults)
        {
            if (!fields.Contains(name))
            {
                fields.Set(name, value);
            }
        }
        foreach (var (from, to) in route.Rewrite.Rename)
        {
            fields.Rename(from, to);
        }
        foreach (var name in route.Rewrite.Drop)
        {
            fields.Remove(name);
        }
        foreach (var (name, value) in route.Rewrite.Pin)
        {
            fields.Set(name, value);
        }
    }
}

/// <summary>Top-level fields in order, by name, as <see cref="AliasRequestShaper"/> changes them.</summary>
internal interface IShapeableFields
{
    bool Contains(string name);

    /// <summary>Replaces the field's value where it is, or adds it at the end.</summary>
    void Set(string name, JsonNode? value);

    /// <summary>Renames the field where it is; when <paramref name="to"/> is already there, the field is removed.</summary>
    void Rename(string from, string to);

    void Remove(string name);
}
