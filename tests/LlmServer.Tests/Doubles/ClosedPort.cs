using System.Net;
using System.Net.Sockets;

namespace LlmServer.Tests.Doubles;

/// <summary>A loopback URL where nothing listens, so a connection is refused at once (a provider that is down).</summary>
public static class ClosedPort
{
    public static string Url()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"http://127.0.0.1:{port}";
    }
}
