using System.Text;
using System.Text.Json.Nodes;

namespace SfAi.Hosting.Lambda.Tests.Support;

/// <summary>Lambda events built from the captured ones in <c>Fixtures/</c>.</summary>
public static class LambdaEvents
{
    public static byte[] Raw(string fixture) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", fixture));

    /// <summary>The captured HTTP API event with its method, path, query, body and content type replaced.</summary>
    public static byte[] HttpApi(string method, string path, string? body = null, string query = "", bool base64 = false,
        string contentType = "application/json", Action<JsonObject>? change = null)
    {
        var json = Encoding.UTF8.GetString(Raw("dotnet-values-put-withbody-httpapi-v2-request.json")).TrimStart('\uFEFF');
        var node = JsonNode.Parse(json)!.AsObject();
        node["rawPath"] = path;
        node["rawQueryString"] = query;
        node["requestContext"]!["http"]!["method"] = method;
        node["requestContext"]!["http"]!["path"] = path;
        node["headers"]!["content-type"] = contentType;
        node["headers"]!.AsObject().Remove("content-length");
        node["headers"]!.AsObject().Remove("contentlength");
        node["body"] = body is null ? null : base64 ? Convert.ToBase64String(Encoding.UTF8.GetBytes(body)) : body;
        node["isBase64Encoded"] = base64;
        change?.Invoke(node);
        return Encoding.UTF8.GetBytes(node.ToJsonString());
    }
}
