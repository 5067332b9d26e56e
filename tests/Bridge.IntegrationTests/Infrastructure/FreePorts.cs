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

    /// <summary>A base port such that base, base+1 and base+2 are free on 127.0.0.1 and ::1 (an AppHost run with
    /// <c>--port-offset base-8000</c> then never collides with a developer's stack on 8000-8002).</summary>
    public static int NextRangeOf3()
    {
        lock (Gate)
        {
            for (var attempt = 0; attempt < 200; attempt++)
            {
                // Below Linux's ephemeral range (32768+), where outgoing connections could take a port between check and bind.
                var candidate = Random.Shared.Next(20000, 32000);
                if (Enumerable.Range(candidate, 3).All(p => !Handed.Contains(p) && IsFree(p)))
                {
                    foreach (var port in Enumerable.Range(candidate, 3))
                    {
                        Handed.Add(port);
                    }

                    return candidate;
                }
            }
        }

        throw new InvalidOperationException("No three consecutive free loopback ports found in 200 attempts.");
    }

    /// <summary>Free on 127.0.0.1 and ::1, by the same check the AppHost makes before it starts.</summary>
    public static bool IsFree(int port) => PortGuard.IsFree(port);
}
