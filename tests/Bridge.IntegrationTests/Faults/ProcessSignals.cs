using System.Runtime.InteropServices;

namespace Bridge.IntegrationTests.Faults;

/// <summary>
/// Freezes a service the tests started (SIGSTOP) and thaws it (SIGCONT), by its pid. A frozen service keeps its
/// sockets: the kernel still accepts connections and requests for it, nothing answers. The drill freezes what the
/// session needs next, so the session is held at a known step while a fault is injected, by construction, not by timing.
/// </summary>
public static class ProcessSignals
{
    public static void Freeze(this ServiceProcess service) => Send(service, UnixSignals.Stop);

    public static void Thaw(this ServiceProcess service) => Send(service, UnixSignals.Continue);

    private static void Send(ServiceProcess service, int signal)
    {
        OperatingSystem.IsLinux().ShouldBeTrue("the fault drill freezes processes with Linux signals");
        UnixSignals.Send(service.ProcessId, signal).ShouldBeTrue(
            $"signal {signal} to {service.Service.Name} pid {service.ProcessId} failed (errno {Marshal.GetLastPInvokeError()})");
    }
}
