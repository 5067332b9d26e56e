using System.Diagnostics;

namespace Bridge.Testing;

/// <summary>
/// One service run as a user runs it (<c>dotnet &lt;Service&gt;.dll</c>), on a port and in a working directory fixed at
/// creation, so that it can be SIGKILLed and restarted in place. Its output is kept (optionally echoed through the
/// <see cref="ConsoleLog"/>) across restarts, for failure messages; a graceful stop is SIGTERM, as Aspire and Docker send.
/// </summary>
public sealed class ServiceProcess(ServiceLaunch launch, ConsoleLog console) : IAsyncDisposable
{
    private const int TailLength = 200;
    private const int NotableLength = 40;
    private static readonly TimeSpan KillTimeout = TimeSpan.FromSeconds(15);
    private readonly Queue<string> tail = new();
    // Warnings and errors outlive the tail: a fault drill's failure is explained by a reconnect that gave up minutes
    // before the last lines, which by then are all retries.
    private readonly Queue<string> notable = new();
    private readonly List<string> earlierRuns = [];
    private readonly Lock tailGate = new();
    private TaskCompletionSource<int> exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Process? process;
    private int? processId;

    public ServiceDefinition Service => launch.Service;

    public ServiceLaunch Launch => launch;

    public Uri Url => launch.Url;

    public int Port => launch.Url.Port;

    public string WorkingDirectory => launch.WorkingDirectory;

    /// <summary>The current (or last) run's pid, kept after it exits: failure messages name it.</summary>
    public int ProcessId => processId ?? throw new InvalidOperationException($"{Service.Name} has not been started.");

    /// <summary>Completes with the exit code when the current run ends, for whatever reason.</summary>
    public Task<int> Exited => exited.Task;

    public bool HasExited => process is null || Exited.IsCompleted;

    /// <summary>The current run's last lines.</summary>
    public IReadOnlyList<string> RecentOutput
    {
        get
        {
            lock (tailGate)
            {
                return [.. tail];
            }
        }
    }

    /// <summary>Every run's last lines, oldest run first, each headed by its pid.</summary>
    public string Output
    {
        get
        {
            lock (tailGate)
            {
                return string.Join('\n', earlierRuns.Concat(process is null ? [] : [DescribeCurrentRun()]));
            }
        }
    }

    /// <summary>The last <see cref="NotableLength"/> warning and error lines (Serilog's WRN, ERR, FTL) of every run.</summary>
    public IReadOnlyList<string> Notable
    {
        get
        {
            lock (tailGate)
            {
                return [.. notable];
            }
        }
    }

    /// <summary>The last lines the service printed, for assertion messages.</summary>
    public string Tail(int lines = 30) => string.Join('\n', Output.Split('\n').TakeLast(lines));

    /// <summary>Starts <paramref name="launch"/> and waits until it answers <c>/health</c>; on failure the process is
    /// stopped and the <see cref="ServiceStartException"/> carries its last output.</summary>
    public static async Task<ServiceProcess> StartAsync(
        ServiceLaunch launch, TimeSpan timeout, CancellationToken cancellationToken = default, ConsoleLog? console = null)
    {
        var service = new ServiceProcess(launch, console ?? ConsoleLog.Quiet);
        try
        {
            await service.StartHealthyAsync(timeout, cancellationToken);
            return service;
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts a run without waiting for it (a stack starts its services together, then waits for all).</summary>
    public void Start()
    {
        if (process is not null && !Exited.IsCompleted)
        {
            throw new InvalidOperationException($"{Service.Name} (pid {processId}) is still running.");
        }

        Directory.CreateDirectory(launch.WorkingDirectory);
        var runExited = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var child = new Process { StartInfo = launch.ToStartInfo(), EnableRaisingEvents = true };
        child.OutputDataReceived += (_, e) => OnLine(e.Data);
        child.ErrorDataReceived += (_, e) => OnLine(e.Data);
        child.Exited += (_, _) =>
        {
            // Drain the redirected streams so the last lines (often the reason for a crash) are in the tail.
            child.WaitForExit();
            runExited.TrySetResult(child.ExitCode);
        };

        lock (tailGate)
        {
            if (process is not null)
            {
                earlierRuns.Add(DescribeCurrentRun());
                tail.Clear();
                process.Dispose();
            }

            exited = runExited;
            process = child;
        }

        child.Start();
        processId = child.Id;
        child.StandardInput.Close();
        child.BeginOutputReadLine();
        child.BeginErrorReadLine();
    }

    /// <summary>Polls <c>/health</c> until it answers 200, the process dies, or the timeout passes.</summary>
    public async Task WaitUntilHealthyAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var health = new Uri(launch.Url, "/health");
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (Exited.IsCompleted)
            {
                throw new ServiceStartException(this, $"{Service.Name} exited with code {Exited.Result} before it became healthy.");
            }

            try
            {
                using var response = await http.GetAsync(health, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // Not listening yet.
            }

            await Task.WhenAny(Exited, Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken));
        }

        throw new ServiceStartException(this, $"{Service.Name} did not answer {health} with 200 within {timeout.TotalSeconds:0} s.");
    }

    /// <summary>Kills the current run (if still running) and starts it again on the same port and working directory.</summary>
    public async Task RestartAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        await KillAsync();
        await StartHealthyAsync(timeout ?? TimeSpan.FromSeconds(90), cancellationToken);
    }

    /// <summary>SIGKILLs the process tree, as a crash or power loss would: no shutdown code runs. Throws when it has not
    /// exited within 15 s.</summary>
    public async Task KillAsync()
    {
        if (process is null || Exited.IsCompleted)
        {
            return;
        }

        KillTree();
        if (await Task.WhenAny(Exited, Task.Delay(KillTimeout)) != Exited)
        {
            throw new TimeoutException($"{Service.Name} (pid {processId}) did not die within {KillTimeout.TotalSeconds:0} s of SIGKILL.");
        }
    }

    /// <summary>Asks the process to stop (SIGTERM), then kills its tree after the grace period.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (process is null || Exited.IsCompleted)
        {
            return;
        }

        if (!UnixSignals.Send(process.Id, UnixSignals.Terminate))
        {
            KillTree();
        }

        if (await Task.WhenAny(Exited, Task.Delay(grace)) != Exited)
        {
            console.Warn($"{Service.Name} did not stop within {grace.TotalSeconds:0} s; killing it.");
            KillTree();
            await Task.WhenAny(Exited, Task.Delay(KillTimeout));
        }
    }

    /// <summary>Resident memory of the running process, in bytes.</summary>
    public long WorkingSetBytes()
    {
        using var current = Process.GetProcessById(ProcessId);
        return current.WorkingSet64;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(10));
        process?.Dispose();
    }

    private async Task StartHealthyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        Start();
        try
        {
            await WaitUntilHealthyAsync(timeout, cancellationToken);
        }
        catch
        {
            await KillAsync();
            throw;
        }
    }

    private string DescribeCurrentRun() => string.Join('\n', [$"--- {Service.Name}, pid {processId} ---", .. tail]);

    private void KillTree()
    {
        try
        {
            process?.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (tailGate)
        {
            tail.Enqueue(line);
            while (tail.Count > TailLength)
            {
                tail.Dequeue();
            }

            if (line.Contains(" WRN] ", StringComparison.Ordinal) || line.Contains(" ERR] ", StringComparison.Ordinal)
                || line.Contains(" FTL] ", StringComparison.Ordinal))
            {
                notable.Enqueue(line.Length > 400 ? line[..400] : line);
                while (notable.Count > NotableLength)
                {
                    notable.Dequeue();
                }
            }
        }

        console.Service(Service, line);
    }
}

/// <summary>A service that died or never answered <c>/health</c>; the message ends with its last lines.</summary>
public sealed class ServiceStartException(ServiceProcess service, string message)
    : Exception($"{message}\n{service.Tail()}")
{
    public ServiceProcess ServiceProcess { get; } = service;
}
