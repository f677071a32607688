using Microsoft.AspNetCore.Http;
using SfAi.Hosting.Lambda.RuntimeApi;

namespace SfAi.Hosting.Lambda.Server;

/// <summary>How an invocation's response reaches the Runtime API: whole at the end, or streamed as it is written.</summary>
internal interface IResponseTransport : IAsyncDisposable
{
    /// <summary>Whether nothing has left yet, so the response can still be replaced by another.</summary>
    bool CanReplace { get; }

    /// <summary>The response starts: its status and headers are final.</summary>
    Task StartAsync(int status, IHeaderDictionary headers, CancellationToken cancellationToken);

    /// <summary>Body bytes, after the start.</summary>
    Task WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    /// <summary>Forgets the body written so far, when <see cref="CanReplace"/>.</summary>
    void Discard();

    /// <summary>Ends the response; <paramref name="failure"/> is a failure that came after the start (streaming only).</summary>
    Task FinishAsync(int status, IHeaderDictionary headers, RuntimeError? failure, CancellationToken cancellationToken);
}
