using System.Diagnostics;
using Bridge.Testing;
using HostedService = Bridge.Testing.ServiceProcess;

namespace Cerebrum.Bench;

/// <summary>A service DLL started as its own process on a free loopback port by the shared process starter (Bridge.Testing),
/// quiet (Warning-level logs, nothing echoed), and killed on dispose.</summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private static readonly ConsoleLog Quiet = new(echoServiceOutput: false);
    private readonly HostedService _process;

    private ServiceProcess(HostedService process) => _process = process;

    public Uri BaseAddress => _process.Url;

    public int ProcessId => _process.ProcessId ?? throw new InvalidOperationException("The service has not been started.");

    public static async Task<ServiceProcess> StartAsync(string dll, IReadOnlyDictionary<string, string> environment, TimeSpan startTimeout, CancellationToken cancellationToken)
    {
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"Build the solution first: {dll} is missing.", dll);
        }

        var url = new Uri($"http://127.0.0.1:{PortGuard.AnyFreeLoopbackPort()}");
        var variables = new Dictionary<string, string?>(StringComparer.Ordinal) { ["Serilog__MinimumLevel__Default"] = "Warning" };
        foreach (var (key, value) in environment)
        {
            variables[key] = value;
        }

        var project = Path.GetFileNameWithoutExtension(dll);
        var service = ServiceCatalog.All.Single(s => s.ProjectName == project);
        var directory = Path.GetDirectoryName(dll)!;
        var launch = new ServiceLaunch(service, dll, directory, directory, url, variables) { Arguments = ["--urls", url.ToString().TrimEnd('/')] };
        try
        {
            return new ServiceProcess(await HostedService.StartHealthyAsync(launch, Quiet, startTimeout, cancellationToken));
        }
        catch (ServiceStartException ex)
        {
            throw ex.ServiceProcess.Exited.IsCompleted
                ? new InvalidOperationException($"{Path.GetFileName(dll)} exited with code {ex.ServiceProcess.Exited.Result} during start.", ex)
                : new TimeoutException($"{Path.GetFileName(dll)} did not become healthy within {startTimeout}.", ex);
        }
    }

    /// <summary>Resident memory of the process (VmRSS), in bytes.</summary>
    public long WorkingSetBytes()
    {
        using var process = Process.GetProcessById(ProcessId);
        return process.WorkingSet64;
    }

    public async ValueTask DisposeAsync()
    {
        await _process.KillAsync(TimeSpan.FromSeconds(30));
        await _process.DisposeAsync();
    }
}
