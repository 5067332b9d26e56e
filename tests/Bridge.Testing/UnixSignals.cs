using System.Runtime.InteropServices;

namespace Bridge.Testing;

/// <summary>POSIX signals to a process by pid: .NET itself can only SIGKILL a child, and the tests also need a graceful
/// stop (SIGTERM, so the host shuts down and flushes) and to freeze and thaw a service (SIGSTOP / SIGCONT).</summary>
public static class UnixSignals
{
    public const int Terminate = 15;
    public const int Stop = 19;
    public const int Continue = 18;

    /// <summary>Sends <paramref name="signal"/>; false where that is not possible (Windows, or the process is gone),
    /// with the reason in <see cref="Marshal.GetLastPInvokeError"/>.</summary>
    public static bool Send(int processId, int signal) =>
        (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()) && NativeMethods.Kill(processId, signal) == 0;

    private static class NativeMethods
    {
        // Blittable int arguments: no marshalling stub (and so no unsafe code) is needed.
        [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
        internal static extern int Kill(int pid, int signal);
    }
}
