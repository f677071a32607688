using System.Buffers;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Http;
using SfAi.Hosting.Lambda.Events;
using SfAi.Hosting.Lambda.RuntimeApi;
using SfAi.Hosting.Lambda.Server;

namespace SfAi.Hosting.Lambda.Streaming;

/// <summary>
/// A response streamed to the Runtime API (a Function URL in <c>RESPONSE_STREAM</c> mode). The POST is written by
/// hand on a socket, with chunked transfer written here too, because HttpClient cannot send request trailers. At the
/// start, the <c>http-integration-response</c> prelude (status, headers, cookies) and its 8 NUL bytes go out as one
/// chunk; then every write of the body is one chunk, sent at once; a failure after the start is reported in the
/// <c>Lambda-Runtime-Function-Error-Type</c>/<c>-Body</c> trailers.
/// </summary>
internal sealed class StreamingTransport(RuntimeApiEndpoint endpoint, string requestId) : IResponseTransport
{
    public const string ContentType = "application/vnd.awslambda.http-integration-response";

    private const int PreludeDelimiterLength = 8;
    private TcpClient? _connection;
    private NetworkStream? _stream;

    public bool CanReplace => _stream is null;

    public async Task StartAsync(int status, IHeaderDictionary headers, CancellationToken cancellationToken)
    {
        _connection = new TcpClient { NoDelay = true };
        await _connection.ConnectAsync(endpoint.Host, endpoint.Port, cancellationToken);
        _stream = _connection.GetStream();

        var head = Encoding.ASCII.GetBytes(
            $"POST /2018-06-01/runtime/invocation/{Uri.EscapeDataString(requestId)}/response HTTP/1.1\r\n" +
            $"Host: {endpoint.Authority}\r\n" +
            $"Content-Type: {ContentType}\r\n" +
            "Lambda-Runtime-Function-Response-Mode: streaming\r\n" +
            "Transfer-Encoding: chunked\r\n" +
            $"Trailer: {RuntimeError.TypeHeader}, {RuntimeError.BodyTrailer}\r\n" +
            "\r\n");
        var prelude = HttpApiV2Response.Prelude(status, headers);
        var first = new byte[head.Length + ChunkedEncoding.MaxFrameLength(prelude.Length + PreludeDelimiterLength)];
        head.CopyTo(first, 0);
        var framed = ChunkedEncoding.Frame(first.AsSpan(head.Length), prelude, PreludeDelimiterLength);
        await _stream.WriteAsync(first.AsMemory(0, head.Length + framed), cancellationToken);
    }

    public async Task WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var stream = _stream ?? throw new InvalidOperationException("The streamed response has not started.");
        var frame = ArrayPool<byte>.Shared.Rent(ChunkedEncoding.MaxFrameLength(data.Length));
        try
        {
            var length = ChunkedEncoding.Frame(frame, data.Span, 0);
            await stream.WriteAsync(frame.AsMemory(0, length), cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(frame);
        }
    }

    public void Discard()
    {
    }

    /// <summary>The last chunk, with the error trailers after a failure; then the Runtime API's answer.</summary>
    /// <exception cref="HttpRequestException">The Runtime API refused the response.</exception>
    public async Task FinishAsync(int status, IHeaderDictionary headers, RuntimeError? failure, CancellationToken cancellationToken)
    {
        var stream = _stream ?? throw new InvalidOperationException("The streamed response has not started.");
        await stream.WriteAsync(ChunkedEncoding.LastChunk(failure is null
            ? []
            : [(RuntimeError.TypeHeader, failure.Type), (RuntimeError.BodyTrailer, Convert.ToBase64String(failure.ToJson()))]), cancellationToken);
        var answer = await HttpStatusLine.ReadAsync(stream, cancellationToken);
        if (answer is < 200 or > 299)
        {
            throw new HttpRequestException($"The Runtime API answered the streamed response with {answer}.", null, (System.Net.HttpStatusCode)answer);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stream is not null)
        {
            await _stream.DisposeAsync();
        }
        _connection?.Dispose();
    }
}
