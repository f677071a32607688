using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;

namespace SfAi.Hosting.Lambda.Tests.Support;

/// <summary>A response body whose writer is paced; everything else is the server's.</summary>
public sealed class PacedResponseBody(IHttpResponseBodyFeature inner, PipeWriter writer) : IHttpResponseBodyFeature
{
    public Stream Stream => inner.Stream;

    public PipeWriter Writer => writer;

    public Task CompleteAsync() => inner.CompleteAsync();

    public void DisableBuffering() => inner.DisableBuffering();

    public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default) =>
        inner.SendFileAsync(path, offset, count, cancellationToken);

    public Task StartAsync(CancellationToken cancellationToken = default) => inner.StartAsync(cancellationToken);
}
