using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;
using SfAi.Hosting.Lambda.RuntimeApi;

namespace SfAi.Hosting.Lambda.Server;

/// <summary>
/// The response side of one invocation, for ASP.NET Core: status, headers, <c>OnStarting</c>/<c>OnCompleted</c> and
/// the body, with Kestrel's rules (the first write or flush starts the response; headers are then read-only). Where
/// the bytes go is the transport's business.
/// </summary>
internal sealed class InvocationResponse : IHttpResponseFeature, IHttpResponseBodyFeature, IDisposable
{
    private readonly IResponseTransport _transport;
    private readonly ResponseCallbacks _callbacks = new();
    private readonly HeaderDictionary _headers = new();
    private readonly ResponseBodyStream _body;
    private PipeWriter? _writer;
    private bool _abandoned;
    private bool _finished;

    public InvocationResponse(IResponseTransport transport)
    {
        _transport = transport;
        _body = new ResponseBodyStream(WriteAsync, StartAsync);
    }

    public int StatusCode { get; set; } = StatusCodes.Status200OK;

    public string? ReasonPhrase { get; set; }

    public IHeaderDictionary Headers
    {
        get => _headers;
        set => throw new NotSupportedException("The Lambda response headers cannot be replaced.");
    }

    public Stream Body
    {
        get => _body;
        set => throw new NotSupportedException("The Lambda response body cannot be replaced.");
    }

    public bool HasStarted => _callbacks.Started;

    public Stream Stream => _body;

    public PipeWriter Writer => _writer ??= PipeWriter.Create(_body, new StreamPipeWriterOptions(leaveOpen: true));

    public void OnStarting(Func<object, Task> callback, object state)
    {
        if (HasStarted)
        {
            throw new InvalidOperationException("The response has already started.");
        }
        _callbacks.OnStarting(callback, state);
    }

    public void OnCompleted(Func<object, Task> callback, object state) => _callbacks.OnCompleted(callback, state);

    public void DisableBuffering()
    {
    }

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (await _callbacks.StartAsync())
        {
            _headers.IsReadOnly = true;
            await _transport.StartAsync(StatusCode, _headers, cancellationToken);
        }
    }

    public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default) =>
        SendFileFallback.SendFileAsync(_body, path, offset, count, cancellationToken);

    public async Task CompleteAsync()
    {
        if (_writer is not null)
        {
            await _writer.FlushAsync();
        }
        await StartAsync();
    }

    /// <summary>The app aborted the request: what it writes from now on goes nowhere, as on a connection Kestrel aborted.</summary>
    public void Abandon() => _abandoned = true;

    /// <summary>Answers with this instead of what the app wrote, flushed or not, while nothing has left.</summary>
    public async Task ReplaceAsync(int status, string contentType, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        _writer = null;
        _abandoned = false;
        _transport.Discard();
        _headers.IsReadOnly = false;
        _headers.Clear();
        StatusCode = status;
        _headers[HeaderNames.ContentType] = contentType;
        _headers.ContentLength = body.Length;
        _headers.IsReadOnly = HasStarted;
        await WriteAsync(body, cancellationToken);
    }

    /// <summary>
    /// Ends the response. After a failure that came once it had started, what the app had not flushed yet is
    /// dropped, as Kestrel drops it when it aborts the connection, and the failure goes with the end.
    /// </summary>
    public async Task FinishAsync(RuntimeError? failure, CancellationToken cancellationToken)
    {
        if (failure is null)
        {
            await CompleteAsync();
        }
        _finished = true;
        await _transport.FinishAsync(StatusCode, _headers, failure, cancellationToken);
    }

    public Task RunCompletedCallbacksAsync() => _callbacks.CompletedAsync();

    public void Dispose() => _body.Dispose();

    private async Task WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        if (_abandoned)
        {
            return;
        }
        await StartAsync(cancellationToken);
        if (!data.IsEmpty)
        {
            await _transport.WriteAsync(data, cancellationToken);
        }
    }
}
