using System.Diagnostics;

namespace Bridge.AppHost;

/// <summary>The AppHost's whole run: check ports, build, choose a broker, start and watch the services,
/// and on Ctrl+C / SIGTERM stop them all (middleware first, so a session pauses cleanly) and the broker node.</summary>
public sealed class AppHostRunner(AppHostOptions options, SolutionLayout layout, ConsoleLog console)
{
    /// <summary>A second Ctrl+C during the stop: kill what is left instead of waiting.</summary>
    public CancellationToken ForceStop { get; init; }

    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(15);

    public async Task<int> RunAsync(CancellationToken shutdown)
    {
        var services = ServiceCatalog.All.Where(s => !options.Without.Contains(s.Name)).ToList();
        var dataDirectory = options.DataDirectory ?? layout.DefaultDataDirectory;

        if (AnyPortTaken(services))
        {
            return ExitCodes.PortInUse;
        }

        try
        {
            foreach (var service in services)
            {
                Directory.CreateDirectory(Path.Combine(dataDirectory, service.Name));
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            console.Error($"cannot create the services' working directories under {dataDirectory}: {ex.Message} Choose another with --data-dir.");
            return ExitCodes.Failed;
        }

        try
        {
            if (!options.NoBuild && !await new ServiceBuilder(layout, console).BuildAsync(services, shutdown))
            {
                return ExitCodes.Failed;
            }
        }
        catch (OperationCanceledException)
        {
            console.Info("stopped before the services were built.");
            return ExitCodes.Ok;
        }

        var missing = services.Select(layout.EntryAssembly).FirstOrDefault(dll => !File.Exists(dll));
        if (missing is not null)
        {
            console.Error($"{missing} does not exist. Build the services (run without --no-build).");
            return ExitCodes.Failed;
        }

        // Again: a build can take a minute, and something may have taken a port meanwhile.
        if (AnyPortTaken(services))
        {
            return ExitCodes.PortInUse;
        }

        BrokerChoice broker;
        try
        {
            broker = await new BrokerSelection(console).ChooseAsync(options, dataDirectory, shutdown);
        }
        catch (OperationCanceledException)
        {
            console.Info("stopped while the broker was starting.");
            return ExitCodes.Ok;
        }

        console.Info($"broker: {broker.Description}");
        try
        {
            return await RunServicesAsync(services, new ServiceWiring(layout, options, broker, dataDirectory), shutdown);
        }
        finally
        {
            if (broker.OwnedNode is not null)
            {
                console.Info("stopping the RabbitMQ node...");
                await broker.OwnedNode.DisposeAsync();
            }

            console.Info("stopped.");
        }
    }

    private bool AnyPortTaken(IReadOnlyList<ServiceDefinition> services)
    {
        var taken = services.FirstOrDefault(s => !PortGuard.IsFree(s.DefaultPort + options.PortOffset));
        if (taken is null)
        {
            return false;
        }

        console.Error($"port {taken.DefaultPort + options.PortOffset} ({taken.Name}) is already in use. Stop what is listening there " +
            $"(is another Bridge running?), or move every port with --port-offset, e.g. " +
            $"'dotnet run --project src/AppHost -- --port-offset {options.PortOffset + 100}'.");
        return true;
    }

    private async Task<int> RunServicesAsync(IReadOnlyList<ServiceDefinition> services, ServiceWiring wiring, CancellationToken shutdown)
    {
        var started = Stopwatch.StartNew();
        var processes = new List<ServiceProcess>();
        using var http = new HttpClient();
        try
        {
            foreach (var service in services)
            {
                var process = new ServiceProcess(wiring.LaunchFor(service), console);
                processes.Add(process);
                process.Start(shutdown);
                console.Info($"started {service.Name} (pid {process.ProcessId}), waiting for {process.Url}health");
            }

            try
            {
                await WaitUntilAllHealthyAsync(processes, http, shutdown);
            }
            catch (ServiceStartException ex)
            {
                console.Error($"{ex.Message} Its last messages (stack frames left out):");
                foreach (var line in ex.ServiceProcess.RecentMessages(20))
                {
                    console.Error($"  {line}");
                }

                return ExitCodes.Failed;
            }

            // From here on a death is news; during start-up the failing service is reported above.
            processes.ForEach(p => p.DiedUnexpectedly += ReportDeath);
            PrintSummary(processes, wiring, started.Elapsed);

            var allExited = Task.WhenAll(processes.Select(p => p.Exited));
            await Task.WhenAny(allExited, Task.Delay(Timeout.Infinite, shutdown));
            if (allExited.IsCompleted && !shutdown.IsCancellationRequested)
            {
                console.Error("every service has exited; stopping.");
                return ExitCodes.Failed;
            }

            return ExitCodes.Ok;
        }
        catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
        {
            return ExitCodes.Ok;
        }
        finally
        {
            await StopAllAsync(processes);
        }
    }

    /// <summary>Fails as soon as one service fails, instead of waiting for the others to finish starting.</summary>
    private async Task WaitUntilAllHealthyAsync(IReadOnlyList<ServiceProcess> processes, HttpClient http, CancellationToken shutdown)
    {
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(shutdown);
        var waits = processes.Select(p => p.WaitUntilHealthyAsync(http, options.StartupTimeout, failed.Token)).ToList();
        try
        {
            while (waits.Count > 0)
            {
                var done = await Task.WhenAny(waits);
                waits.Remove(done);
                await done;
            }
        }
        catch
        {
            await failed.CancelAsync();
            await Task.WhenAll(waits).ContinueWith(_ => { }, TaskScheduler.Default);
            throw;
        }
    }

    private void PrintSummary(IReadOnlyList<ServiceProcess> processes, ServiceWiring wiring, TimeSpan elapsed)
    {
        foreach (var process in processes)
        {
            var url = process.Url.ToString().TrimEnd('/');
            var detail = process.Service.Name switch
            {
                "cerebrum" => $"learner, data in {wiring.WorkingDirectoryOf(process.Service)}",
                "llmserver" => $"teacher chain {options.Teacher ?? "auto (LlmServer's default)"}",
                "middleware" => $"dashboard {url}/, training logs in {wiring.TrainingLogsDirectory}",
                _ => string.Empty,
            };
            console.Info($"{process.Service.Name,-10} {url,-24} {detail}");
        }

        foreach (var excluded in ServiceCatalog.All.Where(s => options.Without.Contains(s.Name)))
        {
            console.Info($"{excluded.Name,-10} not started (--without {excluded.Name})");
        }

        console.Info($"ready in {elapsed.TotalSeconds:0.0} s. Press Ctrl+C to stop everything.");
    }

    private void ReportDeath(ServiceProcess process, int exitCode)
    {
        console.Error($"{process.Service.Name} exited unexpectedly with code {exitCode}; the other services keep running. Its last messages:");
        foreach (var line in process.RecentMessages(10))
        {
            console.Error($"  {line}");
        }
    }

    private async Task StopAllAsync(IReadOnlyList<ServiceProcess> processes)
    {
        if (processes.Count == 0)
        {
            return;
        }

        console.Info("stopping services (Ctrl+C again to kill them now)...");
        // The middleware first: it is the only caller, so stopping it before its peers avoids a burst of retries.
        var middleware = processes.Where(p => p.Service == ServiceCatalog.Middleware).ToList();
        foreach (var process in middleware)
        {
            await process.StopAsync(StopGrace, ForceStop);
        }

        await Task.WhenAll(processes.Except(middleware).Select(p => p.StopAsync(StopGrace, ForceStop)));
        foreach (var process in processes)
        {
            await process.DisposeAsync();
        }
    }
}
