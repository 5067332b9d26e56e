using System.Net;
using System.Net.Sockets;
using Bridge.AppHost.Services;

namespace Bridge.AppHost.Options;

/// <summary>A taken port is named before anything starts, instead of a service dying with a Kestrel stack trace.</summary>
public static class PortCheck
{
    public static EarlyExit? FirstTaken(BridgeOptions options)
    {
        // The dashboard's ports are not checked: without them the services still run (Aspire logs the clash).
        foreach (var (port, owner) in ServiceName.All.Where(options.Runs).Select(s => (options.PortOf(s), s.Name)))
        {
            if (!IsFree(port))
            {
                return new EarlyExit(ExitCodes.PortInUse,
                    $"apphost: port {port} ({owner}) is already in use. Stop what holds it, or move every port with " +
                    "--port-offset, e.g. 'dotnet run --project src/AppHost -- --port-offset 100'.");
            }
        }

        return null;
    }

    // A service listens on localhost, that is both loopback addresses.
    private static bool IsFree(int port) => IsFree(IPAddress.Loopback, port) && IsFree(IPAddress.IPv6Loopback, port);

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
            return true; // No IPv6 loopback here: Kestrel skips it too.
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
