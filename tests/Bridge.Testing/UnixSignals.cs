using System.Runtime.InteropServices;

namespace Bridge.Testing;

/// <summary>.NET can only SIGKILL a child; a graceful stop needs SIGTERM, so the host shuts down and flushes.</summary>
internal static class UnixSignals
{
    private const int SigTerm = 15;

    /// <summary>Sends SIGTERM; false where that is not possible (Windows, or the process is gone).</summary>
    public static bool Terminate(int processId) =>
        (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()) && NativeMethods.Kill(processId, SigTerm) == 0;

    private static class NativeMethods
    {
        // Blittable int arguments: no marshalling stub (and so no unsafe code) is needed.
        [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
        internal static extern int Kill(int pid, int signal);
    }
}
