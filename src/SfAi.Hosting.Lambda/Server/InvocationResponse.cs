using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace SfAi.Hosting.Lambda.Server;

/// <summary>
/// The response side of one invocation, for ASP.NET Core: status, headers, <c>OnStarting</c>/<c>OnCompleted</c>,
/// and a body kept in memory until the app is done (Lambda's buffered response).
/// </summary>
internal sealed class InvocationResponse : IHttpResponseFeature, IHttpResponseBodyFeature, IDisposable
{
    private readonly ResponseCallbacks _callbacks = new();
    private readonly MemoryStream _body = new();
    private PipeWriter? _writer;

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

    public ReadOnlySpan<byte> BodyBytes => _body.GetBuffer().AsSpan(0, (int)_body.Length);

    public void OnStarting(Func<object, Task> callback, object state) => _callbacks.OnStarting(callback, state);

    public void OnCompleted(Func<object, Task> callback, object state) => _callbacks.OnCompleted(callback, state);

    public void DisableBuffering()
    {
    }

    public Task StartAsync(CancellationToken cancellationToken = default) => _callbacks.StartAsync();

    public async Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default)
    {
        await StartAsync(cancellationToken);
        await using var file = File.OpenRead(path);
        file.Seek(offset, SeekOrigin.Begin);
        var remaining = count ?? file.Length - offset;
        var buffer = new byte[81920];
        while (remaining > 0)
        {
            var read = await file.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), cancellationToken);
            if (read == 0)
            {
                break;
            }
            await _body.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            remaining -= read;
        }
    }

    public async Task CompleteAsync()
    {
        await StartAsync();
        if (_writer is not null)
        {
            await _writer.FlushAsync();
        }
    }

    /// <summary>Forgets what the app wrote, to answer with an error instead.</summary>
    public void Reset()
    {
        _body.SetLength(0);
        Headers.Clear();
        StatusCode = StatusCodes.Status500InternalServerError;
    }

    public void Dispose() => _body.Dispose();

    public Task CompletedAsync() => _callbacks.CompletedAsync();
}
