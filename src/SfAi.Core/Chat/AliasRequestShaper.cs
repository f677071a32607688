using System.Text.Json.Nodes;
using SfAi.Core.ModelMap;

namespace SfAi.Core.Chat;

/// <summary>
/// The client's request as the alias wants it, still in OpenAI's format: a copy with the alias defaults the client
/// did not send, then the alias's fixes (rename, drop, pin). The client's own body is left untouched.
/// </summary>
public static class AliasRequestShaper
{
    public static JsonObject Shape(ChatRequest request, AliasRoute route)
    {
        var body = (JsonObject)request.Body.DeepClone();
        foreach (var (name, value) in route.Defaults)
        {
            if (!body.ContainsKey(name))
            {
                body[name] = value?.DeepClone();
            }
        }
        ApplyFixes(route.Rewrite, body);
        return body;
    }

    private static void ApplyFixes(RequestRewrite rewrite, JsonObject body)
    {
        foreach (var (from, to) in rewrite.Rename)
        {
            if (body.Remove(from, out var value) && !body.ContainsKey(to))
            {
                body[to] = value;
            }
        }
        foreach (var name in rewrite.Drop)
        {
            body.Remove(name);
        }
        foreach (var (name, value) in rewrite.Pin)
        {
            body[name] = value?.DeepClone();
        }
    }
}
