using Microsoft.AspNetCore.Http;
using SfAi.Hosting.Lambda.Events;
using SfAi.Hosting.Lambda.RuntimeApi;

namespace SfAi.Hosting.Lambda.Server;

/// <summary>
/// A response kept in memory and POSTed whole, as payload 2.0 JSON, when the app is done: what API Gateway HTTP API
/// and a Function URL in <c>BUFFERED</c> mode take.
/// </summary>
internal sealed class BufferedTransport(RuntimeApiClient client, string requestId) : IResponseTransport
{
    private readonly MemoryStream _body = new();

    public bool CanReplace => true;

    public Task StartAsync(int status, IHeaderDictionary headers, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        _body.WriteAsync(data, cancellationToken).AsTask();

    public void Discard() => _body.SetLength(0);

    public Task FinishAsync(int status, IHeaderDictionary headers, RuntimeError? failure, CancellationToken cancellationToken) =>
        client.PostResponseAsync(requestId, HttpApiV2Response.Buffered(status, headers, _body.GetBuffer().AsSpan(0, (int)_body.Length)), cancellationToken);

    public ValueTask DisposeAsync() => _body.DisposeAsync();
}
