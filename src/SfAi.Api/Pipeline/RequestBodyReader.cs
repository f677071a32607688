using System.Buffers;
using Microsoft.AspNetCore.Http.Features;
using SfAi.Core.Errors;

namespace SfAi.Api.Pipeline;

/// <summary>Reads a JSON request body whole, refusing other content types (415) and bodies over the limit (413).</summary>
internal static class RequestBodyReader
{
    public static async Task<ReadOnlyMemory<byte>> ReadJsonAsync(HttpContext context, long limit)
    {
        var request = context.Request;
        if (!IsJson(request.ContentType))
        {
            throw new GatewayException(GatewayError.UnsupportedMediaType(request.ContentType));
        }
        if (request.ContentLength > limit)
        {
            throw new GatewayException(GatewayError.PayloadTooLarge(limit));
        }
        if (context.Features.Find<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = null;
        }

        if (request.ContentLength is { } length)
        {
            return await ReadExactlyAsync(context, length);
        }

        var buffer = new ArrayBufferWriter<byte>(4096);
        while (true)
        {
            var memory = buffer.GetMemory(8192);
            var read = await request.Body.ReadAsync(memory, context.RequestAborted);
            if (read == 0)
            {
                return buffer.WrittenMemory;
            }
            buffer.Advance(read);
            if (buffer.WrittenCount > limit)
            {
                throw new GatewayException(GatewayError.PayloadTooLarge(limit));
            }
        }
    }

    /// <summary>A body of known length, read into one array of that length (the server ends the body there).</summary>
    private static async Task<ReadOnlyMemory<byte>> ReadExactlyAsync(HttpContext context, long length)
    {
        var body = new byte[length];
        var filled = 0;
        try
        {
            while (filled < body.Length)
            {
                var read = await context.Request.Body.ReadAsync(body.AsMemory(filled), context.RequestAborted);
                if (read == 0)
                {
                    break;
                }
                filled += read;
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status400BadRequest)
        {
            // Reading a body of announced length, the server's only 400 is a body that ends early: the client hung up
            // (whether the server notices the end of the body or the closed connection first).
            throw new GatewayException(GatewayError.ClientClosed(
                $"The client closed the connection after sending {filled} of the {length} bytes its Content-Length announced."));
        }
        return body.AsMemory(0, filled);
    }

    private static bool IsJson(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType))
        {
            return false;
        }
        var mediaType = contentType.AsSpan();
        var separator = mediaType.IndexOf(';');
        if (separator >= 0)
        {
            mediaType = mediaType[..separator];
        }
        mediaType = mediaType.Trim();
        return mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
    }
}
