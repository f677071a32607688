using System.Globalization;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using SfAi.Hosting.Lambda.Events;
using SfAi.Hosting.Lambda.RuntimeApi;
using SfAi.Hosting.Lambda.Server;

namespace SfAi.Hosting.Lambda.Streaming;

/// <summary>
/// A response streamed to the Runtime API (a Function URL in <c>RESPONSE_STREAM</c> mode): the POST is written by
/// hand over a socket with chunked transfer, because HttpClient cannot send request trailers. When the app starts
/// its response, the <c>http-integration-response</c> prelude (status, headers, cookies) and its 8 NUL bytes go out
/// as one chunk; then every flush of the body is one chunk, sent at once; a failure after the start is reported in
/// the <c>Lambda-Runtime-Function-Error-Type</c>/<c>-Body</c> trailers.
/// </summary>
internal sealed class StreamingInvocationResponse : IHttpResponseFeature, IHttpResponseBodyFeature, IAsyncDisposable
{
    private static readonly byte[] PreludeDelimiter = new byte[8];
    private readonly string _runtimeApi;
    private readonly string _requestId;
    private readonly ResponseCallbacks _callbacks = new();
    private readonly ChunkedBodyStream _body;
    private TcpClient? _connection;
    private NetworkStream? _network;
    private PipeWriter? _writer;

    public StreamingInvocationResponse(string runtimeApi, string requestId)
    {
        _runtimeApi = runtimeApi;
        _requestId = requestId;
        _body = new ChunkedBodyStream(this);
    }

    public int StatusCode { get; set; } = StatusCodes.Status200OK;

    public string? ReasonPhrase { get; set; }

    public IHeaderDictionary Headers { get; set; } = new HeaderDictionary();

    public Stream Body
    {
        get => _body;
        set => throw new NotSupportedException("The Lambda response body cannot be replaced.");
    }

    public bool HasStarted => _callbacks.Started;

    public Stream Stream => _body;

    public PipeWriter Writer => _writer ??= PipeWriter.Create(_body, new StreamPipeWriterOptions(leaveOpen: true));

    public void OnStarting(Func<object, Task> callback, object state) => _callbacks.OnStarting(callback, state);

    public void OnCompleted(Func<object, Task> callback, object state) => _callbacks.OnCompleted(callback, state);

    public void DisableBuffering()
    {
    }

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (!await _callbacks.StartAsync())
        {
            return;
        }

        var separator = _runtimeApi.LastIndexOf(':');
        _connection = new TcpClient { NoDelay = true };
        await _connection.ConnectAsync(_runtimeApi[..separator], int.Parse(_runtimeApi[(separator + 1)..], CultureInfo.InvariantCulture), cancellationToken);
        _network = _connection.GetStream();
        var head = $"POST /2018-06-01/runtime/invocation/{_requestId}/response HTTP/1.1\r\n" +
            $"Host: {_runtimeApi}\r\n" +
            "Content-Type: application/vnd.awslambda.http-integration-response\r\n" +
            "Lambda-Runtime-Function-Response-Mode: streaming\r\n" +
            "Transfer-Encoding: chunked\r\n" +
            "Trailer: Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body\r\n\r\n";
        await _network.WriteAsync(Encoding.ASCII.GetBytes(head), cancellationToken);
        var prelude = HttpApiV2Response.Prelude(StatusCode, Headers);
        var first = new byte[prelude.Length + PreludeDelimiter.Length];
        prelude.CopyTo(first, 0);
        await WriteChunkAsync(first, cancellationToken);
    }

    public async Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default)
    {
        await using var file = File.OpenRead(path);
        file.Seek(offset, SeekOrigin.Begin);
        var buffer = new byte[(int)Math.Min(count ?? file.Length - offset, 1 << 20)];
        var read = await file.ReadAsync(buffer, cancellationToken);
        await _body.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
    }

    public async Task CompleteAsync()
    {
        await StartAsync();
        if (_writer is not null)
        {
            await _writer.FlushAsync();
        }
    }

    /// <summary>Ends the stream: the last chunk, with the error trailers when the app failed after it started.</summary>
    public async Task FinishAsync(Exception? failure, CancellationToken cancellationToken)
    {
        await CompleteAsync();
        var end = failure is null
            ? "0\r\n\r\n"
            : "0\r\n" +
              $"Lambda-Runtime-Function-Error-Type: {failure.GetType().Name}\r\n" +
              $"Lambda-Runtime-Function-Error-Body: {Convert.ToBase64String(RuntimeApiClient.ErrorBody(failure.GetType().Name, "The response failed after it had started."))}\r\n\r\n";
        await _network!.WriteAsync(Encoding.ASCII.GetBytes(end), cancellationToken);
        await _network.FlushAsync(cancellationToken);
        var answer = new byte[256];
        _ = await _network.ReadAsync(answer, cancellationToken);
    }

    public Task CompletedAsync() => _callbacks.CompletedAsync();

    public async ValueTask DisposeAsync()
    {
        if (_network is not null)
        {
            await _network.DisposeAsync();
        }
        _connection?.Dispose();
        await _body.DisposeAsync();
    }

    internal async Task WriteChunkAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (data.IsEmpty)
        {
            return;
        }
        await StartAsync(cancellationToken);
        await _network!.WriteAsync(Encoding.ASCII.GetBytes(data.Length.ToString("X", CultureInfo.InvariantCulture) + "\r\n"), cancellationToken);
        await _network.WriteAsync(data, cancellationToken);
        await _network.WriteAsync("\r\n"u8.ToArray(), cancellationToken);
        await _network.FlushAsync(cancellationToken);
    }
}
