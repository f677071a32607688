using System.Text.Json.Nodes;
using SfAi.Core.ModelMap;

namespace SfAi.Core.Chat;

/// <summary>
/// The client's request as the alias wants it, still in OpenAI's format: the alias defaults the client did not
/// send, then the alias's fixes (rename, drop, pin). Neither the client's body nor the alias is changed or copied.
/// </summary>
public static class AliasRequestShaper
{
    public static ShapedRequest Shape(ChatRequest request, AliasRoute route)
    {
        var shaped = new ShapedRequest([.. request.Body]);
        foreach (var (name, value) in route.Defaults)
        {
            if (!shaped.Contains(name))
            {
                shaped.Set(name, value);
            }
        }
        foreach (var (from, to) in route.Rewrite.Rename)
        {
            shaped.Rename(from, to);
        }
        foreach (var name in route.Rewrite.Drop)
        {
            shaped.Remove(name);
        }
        foreach (var (name, value) in route.Rewrite.Pin)
        {
            shaped.Set(name, value);
        }
        return shaped;
    }
}
