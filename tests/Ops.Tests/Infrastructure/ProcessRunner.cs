using System.Diagnostics;
using System.Text;

namespace Ops.Tests.Infrastructure;

/// <summary>A child process with captured output, a bounded wait and a guaranteed kill on dispose.</summary>
public sealed class ProcessRunner : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _gate = new();

    private ProcessRunner(Process process) => _process = process;

    public int Id => _process.Id;

    public string Output
    {
        get
        {
            lock (_gate)
            {
                return _output.ToString();
            }
        }
    }

    public int ExitCode => _process.ExitCode;

    public static ProcessRunner Start(string fileName, IEnumerable<string> arguments, string? workingDirectory = null, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? SolutionLayout.Current.RepositoryRoot,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // A child must not inherit the test host's own configuration (e.g. a developer's ASPNETCORE_URLS).
        foreach (var name in new[] { "ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "ConnectionStrings__rabbitmq", "DOTNET_ENVIRONMENT", "ASPNETCORE_ENVIRONMENT" })
        {
            info.Environment.Remove(name);
        }

        info.Environment["NO_COLOR"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
        }

        // Ctrl+C (see Signal) must reach the child as it would from a user's terminal, even from a script's background job.
        var process = new Process { StartInfo = info.WithDefaultInterrupt(), EnableRaisingEvents = true };
        var runner = new ProcessRunner(process);
        process.OutputDataReceived += (_, e) => runner.Append(e.Data);
        process.ErrorDataReceived += (_, e) => runner.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return runner;
    }

    public static async Task<(int ExitCode, string Output)> RunAsync(string fileName, IEnumerable<string> arguments, TimeSpan timeout, string? workingDirectory = null, IReadOnlyDictionary<string, string?>? environment = null)
    {
        using var runner = Start(fileName, arguments, workingDirectory, environment);
        var exited = await runner.WaitForExitAsync(timeout);
        exited.ShouldBeTrue($"{fileName} {string.Join(' ', arguments)} did not finish within {timeout.TotalSeconds} s. Output so far:\n{runner.Output}");
        return (runner.ExitCode, runner.Output);
    }

    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Types <paramref name="text"/> into the process's standard input, then closes it (end of input).</summary>
    public async Task TypeAndCloseInputAsync(string text)
    {
        await _process.StandardInput.WriteAsync(text);
        await _process.StandardInput.FlushAsync();
        _process.StandardInput.Close();
    }

    /// <summary>Sends a POSIX signal the way a terminal does (Ctrl+C is SIGINT).</summary>
    public void Signal(string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
        kill.WaitForExit(5000);
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _output.AppendLine(line);
        }
    }
}
