using System.Net;
using System.Net.Sockets;

namespace SfAi.Api.Tests.Aws;

/// <summary>An endpoint on 127.0.0.1 where nothing listens, so a connection to it is refused at once.</summary>
internal static class ClosedPort
{
    public static Uri Endpoint()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}/");
    }
}
