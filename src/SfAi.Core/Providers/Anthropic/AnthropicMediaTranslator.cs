using System.Text.Json.Nodes;

namespace SfAi.Core.Providers.Anthropic;

/// <summary>
/// OpenAI image and file parts → Anthropic image and document blocks: a <c>data:</c> URL becomes a base64 source,
/// an <c>http(s):</c> URL a URL source.
/// </summary>
internal static class AnthropicMediaTranslator
{
    public static JsonObject Image(JsonObject part, string path)
    {
        var url = part["image_url"] switch
        {
            JsonObject image => AnthropicMessageTranslator.StringField(image, "url", $"{path}.image_url.url"),
            JsonValue value when value.GetValueKind() == System.Text.Json.JsonValueKind.String => value.GetValue<string>(),
            _ => throw AnthropicMessageTranslator.Invalid($"{path}.image_url", $"'{path}.image_url' must be an object with 'url'."),
        };
        return new JsonObject { ["type"] = "image", ["source"] = Source(url, $"{path}.image_url.url", "image/") };
    }

    public static JsonObject Document(JsonObject part, string path)
    {
        if (part["file"] is not JsonObject file || file["file_data"] is null)
        {
            throw AnthropicMessageTranslator.Unsupported($"{path}.file",
                $"'{path}.file' must carry 'file_data' as a data: URL; uploaded file ids are not available on Anthropic models.");
        }
        var data = AnthropicMessageTranslator.StringField(file, "file_data", $"{path}.file.file_data");
        return new JsonObject { ["type"] = "document", ["source"] = Source(data, $"{path}.file.file_data", "application/pdf") };
    }

    private static JsonObject Source(string url, string path, string expectedMediaType)
    {
        if (url.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            var comma = url.IndexOf(',', StringComparison.Ordinal);
            var header = comma > 5 ? url[5..comma] : string.Empty;
            if (!header.EndsWith(";base64", StringComparison.OrdinalIgnoreCase)
                || !header.StartsWith(expectedMediaType, StringComparison.OrdinalIgnoreCase))
            {
                throw AnthropicMessageTranslator.Invalid(path, $"'{path}' must be a base64 data: URL of type {expectedMediaType}*.");
            }
            return new JsonObject
            {
                ["type"] = "base64",
                ["media_type"] = header[..^";base64".Length],
                ["data"] = url[(comma + 1)..],
            };
        }
        if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp))
        {
            return new JsonObject { ["type"] = "url", ["url"] = url };
        }
        throw AnthropicMessageTranslator.Invalid(path, $"'{path}' must be an https: URL or a base64 data: URL.");
    }
}
