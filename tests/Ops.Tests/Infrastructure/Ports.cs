using Bridge.Testing;

namespace Ops.Tests.Infrastructure;

public static class Ports
{
    /// <summary>A loopback port that was free a moment ago (the OS picks it).</summary>
    public static int Free() => PortGuard.AnyFreeLoopbackPort();
}
