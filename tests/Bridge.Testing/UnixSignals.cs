using System.Diagnostics;
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

    /// <summary>
    /// Makes <paramref name="startInfo"/> start its program with SIGINT at its default, as a user's terminal does. A
    /// process started from a script with '&amp;' inherits SIGINT as ignored, .NET keeps it ignored, and Ctrl+C then never
    /// reaches the program. coreutils' env (8.31+) resets it and execs the program, so the pid stays the program's.
    /// </summary>
    public static ProcessStartInfo WithDefaultInterrupt(this ProcessStartInfo startInfo)
    {
        if (OperatingSystem.IsLinux() && File.Exists(EnvPath))
        {
            startInfo.ArgumentList.Insert(0, startInfo.FileName);
            startInfo.ArgumentList.Insert(0, "--default-signal=INT");
            startInfo.FileName = EnvPath;
        }

        return startInfo;
    }

    private const string EnvPath = "/usr/bin/env";

    private static class NativeMethods
    {
        // Blittable int arguments: no marshalling stub (and so no unsafe code) is needed.
        [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
        internal static extern int Kill(int pid, int signal);
    }
}
