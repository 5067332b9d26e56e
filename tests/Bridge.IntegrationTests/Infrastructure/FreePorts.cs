using Bridge.Testing;

namespace Bridge.IntegrationTests.Infrastructure;

public static class FreePorts
{
    private static readonly Lock Gate = new();
    private static readonly HashSet<int> Handed = [];

    /// <summary>A loopback port the OS says is free, never handed out twice in this test run.</summary>
    public static int Next()
    {
        lock (Gate)
        {
            for (var attempt = 0; attempt < 50; attempt++)
            {
                var port = PortGuard.AnyFreeLoopbackPort();
                if (Handed.Add(port))
                {
                    return port;
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

    /// <summary>Free on 127.0.0.1 and ::1, by the same check the AppHost makes before it starts.</summary>
    public static bool IsFree(int port) => PortGuard.IsFree(port);
}
