using System.Net;
using System.Net.Sockets;

namespace Bridge.Testing;

/// <summary>Ports for tests and benchmarks: a fresh one per service (never handed out twice in a run), a block for the
/// AppHost's <c>--port-offset</c>, and the check whether a port is free. The AppHost makes the same check with its own
/// copy (src/AppHost/Options/PortCheck.cs): a program users run must not reference test code.</summary>
public static class FreePorts
{
    private static readonly Lock Gate = new();
    private static readonly HashSet<int> Handed = [];

    /// <summary>A loopback port the OS says is free, never handed out twice in this process (it may still be taken by
    /// someone else before it is bound).</summary>
    public static int Next()
    {
        lock (Gate)
        {
            for (var attempt = 0; attempt < 50; attempt++)
            {
                using var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                if (Handed.Add(((IPEndPoint)listener.LocalEndpoint).Port))
                {
                    return ((IPEndPoint)listener.LocalEndpoint).Port;
                }
            }
        }

        throw new InvalidOperationException("No free loopback port found in 50 attempts.");
    }

    /// <summary>A <c>--port-offset</c> for the AppHost whose five ports (services 8000-8002, dashboard 18888 and its
    /// OTLP endpoint 18889, each plus the offset) are free, so a test never meets a developer's stack.</summary>
    public static int NextAppHostOffset()
    {
        lock (Gate)
        {
            for (var attempt = 0; attempt < 200; attempt++)
            {
                // Every port stays below Linux's ephemeral range (32768+), where outgoing connections could take one.
                var offset = Random.Shared.Next(1000, 13000);
                int[] ports = [8000 + offset, 8001 + offset, 8002 + offset, 18888 + offset, 18889 + offset];
                if (ports.All(p => !Handed.Contains(p) && IsFree(p)))
                {
                    Handed.UnionWith(ports);
                    return offset;
                }
            }
        }

        throw new InvalidOperationException("No free set of AppHost ports found in 200 attempts.");
    }

    /// <summary>Free on both loopback addresses a service binds (<c>localhost</c> = 127.0.0.1 and ::1).</summary>
    public static bool IsFree(int port) => IsFree(IPAddress.Loopback, port) && IsFree(IPAddress.IPv6Loopback, port);

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
