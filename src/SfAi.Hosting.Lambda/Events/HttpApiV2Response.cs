using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace SfAi.Hosting.Lambda.Events;

/// <summary>
/// The payload 2.0 response, and the prelude of a streamed Function URL response: status, headers (several values
/// joined with commas), <c>Set-Cookie</c> as <c>cookies</c>; a buffered body as UTF-8 text, or base64 when it is
/// binary or compressed.
/// </summary>
internal static class HttpApiV2Response
{
    /// <summary>Escapes only what JSON requires: a body full of quotes must not grow sixfold toward Lambda's 6 MB limit.</summary>
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Buffered(int status, IHeaderDictionary headers, ReadOnlySpan<byte> body)
    {
        var base64 = !IsText(headers) || !Utf8.IsValid(body);
        var text = base64 ? Convert.ToBase64String(body) : Encoding.UTF8.GetString(body);
        return Json(status, headers, writer =>
        {
            writer.WriteString("body", text);
            writer.WriteBoolean("isBase64Encoded", base64);
        });
    }

    /// <summary>The JSON of a streamed response's prelude, without the 8 NUL bytes that follow it.</summary>
    public static byte[] Prelude(int status, IHeaderDictionary headers) => Json(status, headers, _ => { });

    /// <summary>
    /// Whether a body of these headers goes out as text: not compressed, and of a textual media type
    /// (<c>text/*</c>, JSON, XML, JavaScript, forms) or of none.
    /// </summary>
    public static bool IsText(IHeaderDictionary headers)
    {
        if (headers.ContentEncoding.Count > 0)
        {
            return false;
        }
        var type = headers.ContentType.ToString();
        var separator = type.IndexOf(';', StringComparison.Ordinal);
        var media = (separator < 0 ? type : type[..separator]).Trim().ToLowerInvariant();
        return media.Length == 0
            || media.StartsWith("text/", StringComparison.Ordinal)
            || media is "application/json" or "application/xml" or "application/javascript" or "application/x-www-form-urlencoded"
            || media.EndsWith("+json", StringComparison.Ordinal) || media.EndsWith("+xml", StringComparison.Ordinal);
    }

    private static byte[] Json(int status, IHeaderDictionary headers, Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream(512);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteNumber("statusCode", status);
            writer.WriteStartObject("headers");
            foreach (var (name, values) in headers)
            {
                if (!string.Equals(name, HeaderNames.SetCookie, StringComparison.OrdinalIgnoreCase))
                {
                    writer.WriteString(name, string.Join(',', values.ToArray()));
                }
            }
            writer.WriteEndObject();
            writer.WriteStartArray("cookies");
            foreach (var cookie in headers.SetCookie)
            {
                writer.WriteStringValue(cookie);
            }
            writer.WriteEndArray();
            body(writer);
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
