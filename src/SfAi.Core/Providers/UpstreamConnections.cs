using System.Net;
using System.Net.Sockets;

namespace SfAi.Core.Providers;

/// <summary>
/// Opens TCP connections to providers within each request's connect timeout (set per provider in the model map),
/// for <see cref="SocketsHttpHandler.ConnectCallback"/>.
/// </summary>
public static class UpstreamConnections
{
    public static readonly HttpRequestOptionsKey<TimeSpan> ConnectTimeout = new("sfai.connect-timeout");
    /// <summary>The connect timeout of a provider that sets none; a request without the option gets it.</summary>
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Asks for <paramref name="timeout"/> on <paramref name="request"/>'s connection (the default needs no option, so no per-request options bag).</summary>
    public static void SetConnectTimeout(HttpRequestMessage request, TimeSpan timeout)
    {
        if (timeout != DefaultConnectTimeout)
        {
            request.Options.Set(ConnectTimeout, timeout);
        }
    }

    /// <summary>
    /// The one client every provider shares: pooled connections renewed every few minutes (DNS changes reach it),
    /// HTTP/2 where the provider offers it, and nothing that would make one client's call depend on another's —
    /// no cookie jar, no redirects followed, no decompression. No handler logs, so no header ever reaches a log line.
    /// It is a bare <see cref="HttpMessageInvoker"/>, not an <see cref="HttpClient"/>: each call already runs under its
    /// own timeouts (<see cref="UpstreamExchange"/>), and <see cref="HttpClient"/> would link one more cancellation
    /// source per request for a timeout and a cancel-all the gateway never uses.
    /// </summary>
    public static HttpMessageInvoker CreateInvoker() => new(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        AutomaticDecompression = DecompressionMethods.None,
        EnableMultipleHttp2Connections = true,
        UseCookies = false,
        AllowAutoRedirect = false,
        ConnectCallback = ConnectAsync,
    });

    public static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var timeout = context.InitialRequestMessage.Options.TryGetValue(ConnectTimeout, out var configured) ? configured : DefaultConnectTimeout;
        using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        connectTimeout.CancelAfter(timeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, connectTimeout.Token);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new HttpRequestException($"Connecting to {context.DnsEndPoint.Host}:{context.DnsEndPoint.Port} took longer than {timeout.TotalSeconds:0.###} s.");
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
