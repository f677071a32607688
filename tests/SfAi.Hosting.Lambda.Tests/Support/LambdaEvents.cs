using System.Text;
using System.Text.Json.Nodes;

namespace SfAi.Hosting.Lambda.Tests.Support;

/// <summary>Lambda events built from the captured ones in <c>Fixtures/</c>.</summary>
public static class LambdaEvents
{
    /// <summary>A captured event, byte for byte (the <c>dotnet-*</c> ones start with a UTF-8 BOM).</summary>
    public static byte[] Raw(string fixture) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", fixture));

    /// <summary>A captured event, changed.</summary>
    public static byte[] Changed(string fixture, Action<JsonObject> change)
    {
        var node = JsonNode.Parse(Encoding.UTF8.GetString(Raw(fixture)).TrimStart('\uFEFF'))!.AsObject();
        change(node);
        return Encoding.UTF8.GetBytes(node.ToJsonString());
    }

    /// <summary>The captured HTTP API event with its method, path, query, body and content type replaced.</summary>
    public static byte[] HttpApi(string method, string path, string? body = null, string query = "", bool base64 = false,
        string contentType = "application/json", Action<JsonObject>? change = null) =>
        Changed("dotnet-values-put-withbody-httpapi-v2-request.json", node =>
        {
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
        });

    /// <summary>The captured Function URL event, as a POST of <paramref name="body"/> to <paramref name="path"/>.</summary>
    public static byte[] FunctionUrl(string path, string body) =>
        Changed("powertools-lambdaFunctionUrlEvent.json", node =>
        {
            node["rawPath"] = path;
            node["requestContext"]!["http"]!["method"] = "POST";
            node["requestContext"]!["http"]!["path"] = path;
            node["headers"]!["content-type"] = "application/json";
            node["body"] = body;
            node["isBase64Encoded"] = false;
        });
}
