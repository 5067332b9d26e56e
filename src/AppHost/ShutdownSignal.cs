using System.Runtime.InteropServices;

namespace Bridge.AppHost;

/// <summary>Turns Ctrl+C, SIGTERM and SIGHUP into one cancellation, so the AppHost stops its children (and a broker
/// node it started) before it exits instead of being torn down by the runtime.</summary>
public sealed class ShutdownSignal : IDisposable
{
    private readonly CancellationTokenSource source = new();
    private readonly CancellationTokenSource force = new();
    private readonly List<PosixSignalRegistration> registrations;

    public ShutdownSignal()
    {
        registrations = [.. new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP, PosixSignal.SIGQUIT }
            .Select(signal => PosixSignalRegistration.Create(signal, OnSignal))];
    }

    /// <summary>The first Ctrl+C / SIGTERM: stop gracefully.</summary>
    public CancellationToken Token => source.Token;

    /// <summary>A second one: the user does not want to wait for the graceful stop.</summary>
    public CancellationToken ForceToken => force.Token;

    public void Dispose()
    {
        foreach (var registration in registrations)
        {
            registration.Dispose();
        }

        source.Dispose();
        force.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        // Keep the process alive: the runner's cleanup decides when to exit.
        context.Cancel = true;
        if (source.IsCancellationRequested)
        {
            force.Cancel();
        }

        source.Cancel();
    }
}
