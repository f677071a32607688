using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Microsoft.AspNetCore.Http.Features;
using SfAi.Api.Endpoints;
using SfAi.Core.Errors;
using SfAi.Core.Providers;

namespace SfAi.Api.Pipeline;

/// <summary>
/// Writes a provider's answer to the HTTP response in the route's protocol; each stream event is flushed as it is
/// written. A write to a client that is gone throws <see cref="ClientClosedException"/>.
/// </summary>
internal sealed class HttpResponseSink : IChatResponseSink
{
    private readonly HttpContext _context;
    private readonly GatewayProtocol _protocol;

    public HttpResponseSink(HttpContext context, GatewayProtocol protocol)
    {
        _context = context;
        _protocol = protocol;
    }

    public bool HasStarted => _context.Response.HasStarted;

    public async ValueTask WriteJsonAsync(int status, ReadOnlyMemory<byte> json, CancellationToken cancellationToken)
    {
        var response = _context.Response;
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.ContentLength = json.Length;
        try
        {
            await response.Body.WriteAsync(json, cancellationToken);
        }
        catch (Exception ex) when (IsClientGone(ex))
        {
            throw new ClientClosedException(ex);
        }
    }

    public async ValueTask StartEventStreamAsync(CancellationToken cancellationToken)
    {
        var response = _context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        _context.Features.Find<IHttpResponseBodyFeature>()?.DisableBuffering();
        await response.StartAsync(cancellationToken);
    }

    public ValueTask WriteErrorEventAsync(GatewayError error, CancellationToken cancellationToken)
    {
        var (name, data) = ErrorResponse.Event(_protocol, error);
        return WriteEventAsync(name, data, cancellationToken);
    }

    public async ValueTask WriteEventAsync(string? name, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var writer = _context.Response.BodyWriter;
        if (name is not null)
        {
            writer.Write("event: "u8);
            Encoding.UTF8.GetBytes(name.AsSpan(), writer);
            writer.Write("\n"u8);
        }
        writer.Write("data: "u8);
        writer.Write(data.Span);
        writer.Write("\n\n"u8);
        FlushResult flushed;
        try
        {
            flushed = await writer.FlushAsync(cancellationToken);
        }
        catch (Exception ex) when (IsClientGone(ex))
        {
            throw new ClientClosedException(ex);
        }
        if (flushed.IsCanceled || flushed.IsCompleted || _context.RequestAborted.IsCancellationRequested)
        {
            throw new ClientClosedException(new OperationCanceledException("The response was completed or aborted."));
        }
    }

    /// <summary>A failed write to the client: its connection is gone (reset, aborted, or the request cancelled).</summary>
    private bool IsClientGone(Exception ex) =>
        ex is IOException or ObjectDisposedException or InvalidOperationException
        || ex is OperationCanceledException && _context.RequestAborted.IsCancellationRequested
        || _context.RequestAborted.IsCancellationRequested;
}
