using System.Net;
using System.Net.Sockets;

namespace Bridge.Testing;

/// <summary>Checks that a port is free on the loopback addresses a service binds (<c>localhost</c> = both),
/// so a clash is reported by name before any child starts, not as a Kestrel stack trace.</summary>
public static class PortGuard
{
    public static bool IsFree(int port) => IsFree(IPAddress.Loopback, port) && IsFree(IPAddress.IPv6Loopback, port);

    /// <summary>A loopback port the OS says is free right now (it may be taken again before it is bound).</summary>
    public static int AnyFreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool IsFree(IPAddress address, int port)
    {
        try
        {
            using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(address, port));
            socket.Listen();
            return true;
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.AddressNotAvailable or SocketError.AddressFamilyNotSupported)
        {
            // No IPv6 loopback on this machine: Kestrel will skip it too.
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
