using System.Globalization;

namespace Bridge.IntegrationTests.Faults;

/// <summary>
/// The kernel's view of loopback TCP sockets (<c>/proc/net/tcp</c>): which connections hold bytes nobody has read
/// yet, and which process owns a socket. Evidence from outside the services, like the broker's management API.
/// </summary>
public static class LoopbackSockets
{
    private const string Established = "01";

    /// <summary>True when a connection to <paramref name="port"/> holds a request its (frozen) server has not read.</summary>
    public static bool HasUnreadRequest(int port) =>
        Sockets().Any(s => s.LocalPort == port && s.State == Established && s.ReceiveQueue > 0);

    /// <summary>True when a socket of the process <paramref name="processId"/> holds bytes it has not read (it is frozen).</summary>
    public static bool HasUnreadBytes(int processId)
    {
        var owned = SocketInodes(processId);
        return Sockets().Any(s => s.State == Established && s.ReceiveQueue > 0 && owned.Contains(s.Inode));
    }

    /// <summary>True when the process <paramref name="processId"/> owns the connection whose local port is <paramref name="localPort"/>.</summary>
    public static bool Owns(int processId, int localPort)
    {
        var inodes = Sockets().Where(s => s.LocalPort == localPort).Select(s => s.Inode).ToHashSet();
        return inodes.Count > 0 && SocketInodes(processId).Overlaps(inodes);
    }

    private static HashSet<long> SocketInodes(int processId)
    {
        var inodes = new HashSet<long>();
        var fds = new DirectoryInfo($"/proc/{processId}/fd");
        if (!fds.Exists)
        {
            return inodes;
        }

        foreach (var fd in fds.EnumerateFileSystemInfos())
        {
            var target = fd.LinkTarget;
            if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal)
                && long.TryParse(target.AsSpan(8, target.Length - 9), CultureInfo.InvariantCulture, out var inode))
            {
                inodes.Add(inode);
            }
        }

        return inodes;
    }

    private static IEnumerable<TcpSocket> Sockets()
    {
        // "sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ..."
        foreach (var line in File.ReadLines("/proc/net/tcp").Skip(1))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 10)
            {
                continue;
            }

            var localPort = int.Parse(fields[1].Split(':')[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            var receiveQueue = long.Parse(fields[4].Split(':')[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            yield return new TcpSocket(localPort, fields[3], receiveQueue, long.Parse(fields[9], CultureInfo.InvariantCulture));
        }
    }

    private sealed record TcpSocket(int LocalPort, string State, long ReceiveQueue, long Inode);
}
