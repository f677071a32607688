using System.Text.Json;
using System.Text.Json.Nodes;
using SfAi.Core.Chat;
using SfAi.Core.Json;
using SfAi.Core.ModelMap;

namespace SfAi.Core.Providers.OpenAI;

/// <summary>
/// Builds the upstream body of a pass-through call: the client's JSON with every field it sent, except
/// <c>model</c> (the upstream model), shaped by the alias (<see cref="AliasRequestShaper"/>), with usage always
/// asked for on streams unless the alias drops <c>stream_options</c>.
/// </summary>
public static class OpenAIRequestRewriter
{
    public static byte[] Rewrite(ChatRequest request, AliasRoute route)
    {
        var body = AliasRequestShaper.Shape(request, route);
        body["model"] = route.UpstreamModel;
        if (request.Stream && !route.Rewrite.Drop.Contains("stream_options"))
        {
            var options = body["stream_options"] as JsonObject ?? [];
            options["include_usage"] = true;
            body["stream_options"] = options;
        }
        return JsonWriting.ToUtf8(body);
    }
}
