using System.Text.Json;
using System.Text.Json.Nodes;
using SfAi.Core.Chat;
using SfAi.Core.Json;
using SfAi.Core.ModelMap;

namespace SfAi.Core.Providers.OpenAI;

/// <summary>
/// Builds the upstream body of a pass-through call: the client's JSON with every field it sent, except
/// <c>model</c> (the upstream model), plus the alias defaults the client did not send, usage always asked for
/// on streams, and the alias's request fixes applied last.
/// </summary>
public static class OpenAIRequestRewriter
{
    public static byte[] Rewrite(ChatRequest request, AliasRoute route)
    {
        var body = (JsonObject)request.Body.DeepClone();
        body["model"] = route.UpstreamModel;

        foreach (var (name, value) in route.Defaults)
        {
            if (!body.ContainsKey(name))
            {
                body[name] = value?.DeepClone();
            }
        }

        if (request.Stream)
        {
            var options = body["stream_options"] as JsonObject ?? [];
            options["include_usage"] = true;
            body["stream_options"] = options;
        }

        Apply(route.Rewrite, body);
        return Serialize(body);
    }

    private static void Apply(RequestRewrite rewrite, JsonObject body)
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

    private static byte[] Serialize(JsonObject body)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, JsonWriting.Options))
        {
            body.WriteTo(writer);
        }
        return buffer.ToArray();
    }
}
