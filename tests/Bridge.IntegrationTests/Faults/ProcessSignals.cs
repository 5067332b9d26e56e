using System.Runtime.InteropServices;
using Bridge.IntegrationTests.Infrastructure;

namespace Bridge.IntegrationTests.Faults;

/// <summary>
/// Freezes a service the tests started (SIGSTOP) and thaws it (SIGCONT), by its pid. A frozen service keeps its
/// sockets: the kernel still accepts connections and requests for it, nothing answers. The drill freezes what the
/// session needs next, so the session is held at a known step while a fault is injected, by construction, not by timing.
/// </summary>
public static class ProcessSignals
{
    private const int SigStop = 19;
    private const int SigCont = 18;

    public static void Freeze(this ServiceProcess service) => Send(service, SigStop);

    public static void Thaw(this ServiceProcess service) => Send(service, SigCont);

    private static void Send(ServiceProcess service, int signal)
    {
        OperatingSystem.IsLinux().ShouldBeTrue("the fault drill freezes processes with Linux signals");
        NativeMethods.Kill(service.ProcessId, signal).ShouldBe(0, $"signal {signal} to {service.Project} pid {service.ProcessId} failed (errno {Marshal.GetLastPInvokeError()})");
    }

    private static class NativeMethods
    {
        [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
        internal static extern int Kill(int pid, int signal);
    }
}
