using System.Diagnostics;

namespace Bridge.Testing;

/// <summary>One child service: started as <c>dotnet &lt;dll&gt;</c>, its output prefixed on the console and the last
/// lines kept for error messages, stopped gracefully (SIGTERM) and then forcibly, with its whole process tree.</summary>
public sealed class ServiceProcess(ServiceLaunch launch, ConsoleLog console) : IAsyncDisposable
{
    private const int TailLength = 200;
    private readonly Queue<string> tail = new();
    private readonly Lock tailGate = new();
    private readonly TaskCompletionSource<int> exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Process? process;
    private volatile bool stopping;
    private CancellationTokenRegistration shutdownRegistration;

    public ServiceDefinition Service => launch.Service;

    public Uri Url => launch.Url;

    /// <summary>Kept from the start: <see cref="Process.Id"/> throws once the process object is disposed, and failure
    /// messages name the pid after that.</summary>
    public int? ProcessId { get; private set; }

    /// <summary>Completes with the exit code when the process ends, for whatever reason.</summary>
    public Task<int> Exited => exited.Task;

    /// <summary>Called when the process ends without having been asked to stop.</summary>
    public event Action<ServiceProcess, int>? DiedUnexpectedly;

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

    /// <summary>The last lines without .NET stack frames: what went wrong, not where.</summary>
    public IReadOnlyList<string> RecentMessages(int count) =>
        [.. RecentOutput
            .Where(line => !line.TrimStart().StartsWith("at ", StringComparison.Ordinal)
                && !line.TrimStart().StartsWith("--- End of", StringComparison.Ordinal))
            .TakeLast(count)];

    /// <summary>Starts the process; once <paramref name="shutdown"/> fires, its exit is no longer reported as a death
    /// (on Ctrl+C the terminal signals the children as well as the host).</summary>
    public void Start(CancellationToken shutdown)
    {
        shutdownRegistration = shutdown.Register(() => stopping = true);
        Directory.CreateDirectory(launch.WorkingDirectory);
        var startInfo = launch.ToStartInfo();

        var child = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        child.OutputDataReceived += (_, e) => OnLine(e.Data);
        child.ErrorDataReceived += (_, e) => OnLine(e.Data);
        child.Exited += (_, _) => OnExited(child);

        child.Start();
        ProcessId = child.Id;
        child.StandardInput.Close();
        child.BeginOutputReadLine();
        child.BeginErrorReadLine();
        process = child;
    }

    /// <summary>Starts <paramref name="launch"/> and waits until it answers <c>/health</c>; on failure the process is
    /// stopped and the <see cref="ServiceStartException"/> still carries its last output.</summary>
    public static async Task<ServiceProcess> StartHealthyAsync(
        ServiceLaunch launch, ConsoleLog console, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(launch.EntryAssembly))
        {
            throw new InvalidOperationException($"{launch.EntryAssembly} does not exist; build the services first.");
        }

        var service = new ServiceProcess(launch, console);
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            service.Start(cancellationToken);
            await service.WaitUntilHealthyAsync(http, timeout, cancellationToken);
            return service;
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }
    }

    /// <summary>Polls <c>/health</c> until it answers 200, the process dies, or the timeout passes.</summary>
    public async Task WaitUntilHealthyAsync(HttpClient http, TimeSpan timeout, CancellationToken cancellationToken)
    {
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
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                attempt.CancelAfter(TimeSpan.FromSeconds(5));
                using var response = await http.GetAsync(health, attempt.Token);
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

    /// <summary>Asks the process to stop (SIGTERM, as Aspire and Docker do), then kills its tree after the grace period
    /// or as soon as <paramref name="force"/> fires.</summary>
    public async Task StopAsync(TimeSpan grace, CancellationToken force = default)
    {
        stopping = true;
        if (process is null || Exited.IsCompleted)
        {
            return;
        }

        if (!UnixSignals.Terminate(process.Id))
        {
            Kill();
        }

        var graceOver = Task.Delay(grace, force).ContinueWith(_ => { }, TaskScheduler.Default);
        if (await Task.WhenAny(Exited, graceOver) != Exited)
        {
            console.Warn(force.IsCancellationRequested
                ? $"killing {Service.Name} (second Ctrl+C)."
                : $"{Service.Name} did not stop within {grace.TotalSeconds:0} s; killing it.");
            Kill();
            await Task.WhenAny(Exited, Task.Delay(TimeSpan.FromSeconds(5)));
        }
    }

    /// <summary>SIGKILLs the process tree, as a crash or power loss would: no shutdown code runs. True once it has exited.</summary>
    public async Task<bool> KillAsync(TimeSpan timeout)
    {
        stopping = true;
        if (process is not null && !Exited.IsCompleted)
        {
            Kill();
        }

        return process is null || await Task.WhenAny(Exited, Task.Delay(timeout)) == Exited;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(10));
        await shutdownRegistration.DisposeAsync();
        process?.Dispose();
    }

    private void Kill()
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
        }

        console.Service(Service, line);
    }

    private void OnExited(Process child)
    {
        // Drain the redirected streams so the last lines (often the reason for a crash) are in the tail.
        child.WaitForExit();
        var code = child.ExitCode;
        exited.TrySetResult(code);
        if (stopping)
        {
            return;
        }

        // Ctrl+C reaches the children and the host at the same moment; give the host's handler time to say so.
        Thread.Sleep(TimeSpan.FromMilliseconds(500));
        if (!stopping)
        {
            DiedUnexpectedly?.Invoke(this, code);
        }
    }
}

public sealed class ServiceStartException(ServiceProcess service, string message) : Exception(message)
{
    public ServiceProcess ServiceProcess { get; } = service;
}
