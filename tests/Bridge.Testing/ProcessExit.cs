using System.Diagnostics;
using System.Text;

namespace Bridge.Testing;

/// <summary>
/// Runs a built service until it exits on its own, for start-up failures: in-process, WebApplicationFactory may read the
/// services of a host that already failed and was disposed, and then reports an ObjectDisposedException instead of the failure.
/// </summary>
public static class ProcessExit
{
    /// <summary>The exit code and console output of a process expected to stop by itself within <paramref name="limit"/>.</summary>
    public static async Task<(int ExitCode, string Output)> RunToExitAsync(ProcessStartInfo start, TimeSpan limit)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var deadline = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"{Path.GetFileName(start.ArgumentList.FirstOrDefault() ?? start.FileName)} kept running for {limit.TotalSeconds:0} s with a configuration it should refuse:\n{Text()}");
        }

        process.WaitForExit(); // drains the redirected streams
        return (process.ExitCode, Text());

        void Append(string? line)
        {
            if (line is not null)
            {
                lock (output)
                {
                    output.AppendLine(line);
                }
            }
        }

        string Text()
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }
}
