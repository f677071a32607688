using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace SfAi.Hosting.Lambda.Events;

/// <summary>
/// The payload 2.0 response, and the prelude of a streamed Function URL response: status, headers (several values
/// joined by commas), <c>Set-Cookie</c> as <c>cookies</c>; a buffered body as UTF-8 text, or base64 when it is
/// binary or compressed.
/// </summary>
internal static class HttpApiV2Response
{
    public static byte[] Buffered(int status, IHeaderDictionary headers, ReadOnlySpan<byte> body)
    {
        var base64 = !IsText(headers);
        var text = base64 ? Convert.ToBase64String(body) : Encoding.UTF8.GetString(body);
        return Json(status, headers, writer =>
        {
            writer.WriteString("body", text);
            writer.WriteBoolean("isBase64Encoded", base64);
        });
    }

    /// <summary>The JSON of a streamed response's prelude, without the 8 NUL bytes that follow it.</summary>
    public static byte[] Prelude(int status, IHeaderDictionary headers) => Json(status, headers, _ => { });

    private static byte[] Json(int status, IHeaderDictionary headers, Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("statusCode", status);
            writer.WriteStartObject("headers");
            foreach (var (name, values) in headers)
            {
                if (!string.Equals(name, "Set-Cookie", StringComparison.OrdinalIgnoreCase))
                {
                    writer.WriteString(name, string.Join(", ", values.ToArray()));
                }
            }
            writer.WriteEndObject();
            if (headers.TryGetValue("Set-Cookie", out var cookies))
            {
                writer.WriteStartArray("cookies");
                foreach (var cookie in cookies)
                {
                    writer.WriteStringValue(cookie);
                }
                writer.WriteEndArray();
            }
            body(writer);
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static bool IsText(IHeaderDictionary headers)
    {
        if (headers.ContentEncoding.Count > 0)
        {
            return false;
        }
        var type = headers.ContentType.ToString();
        if (type.Length == 0)
        {
            return true;
        }
        var media = type.Split(';')[0].Trim().ToLowerInvariant();
        return media.StartsWith("text/", StringComparison.Ordinal)
            || media is "application/json" or "application/xml" or "application/javascript" or "application/x-www-form-urlencoded"
            || media.EndsWith("+json", StringComparison.Ordinal) || media.EndsWith("+xml", StringComparison.Ordinal);
    }
}
