using System.Diagnostics;
using System.Text;

namespace Middleware.Tests;

/// <summary>
/// The built Middleware.dll run as an operator runs it (Production, its own Serilog console output), on the data folder,
/// peers and settings a test gives. Start-up failures are tested this way: in-process, WebApplicationFactory may read the
/// services of a host that already failed and was disposed, and then reports an ObjectDisposedException instead of the failure.
/// </summary>
public static class MiddlewareProcess
{
    public static ProcessStartInfo StartInfo(MiddlewareFiles files, string cerebrumAddress, string llmServerAddress, int port, IEnumerable<KeyValuePair<string, string?>> settings)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Middleware.dll"), "--urls", $"http://127.0.0.1:{port}"])
        {
            WorkingDirectory = files.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment.Remove("ConnectionStrings__rabbitmq");
        start.Environment["services__cerebrum__http__0"] = cerebrumAddress;
        start.Environment["services__llmserver__http__0"] = llmServerAddress;
        start.Environment["Middleware__DatabasePath"] = files.DatabasePath;
        start.Environment["Middleware__TrainingLogsPath"] = files.LogsPath;
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        return start;
    }

    /// <summary>Runs the middleware until it exits on its own (a refused configuration): its exit code and console output.</summary>
    public static async Task<(int ExitCode, string Output)> RunToExitAsync(MiddlewareFiles files, string cerebrumAddress, string llmServerAddress, IEnumerable<KeyValuePair<string, string?>> settings)
    {
        var output = new StringBuilder();
        using var process = new Process { StartInfo = StartInfo(files, cerebrumAddress, llmServerAddress, Doubles.PeerDouble.UnusedPort(), settings) };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"The middleware kept running for 60 s with a configuration it should refuse:\n{Text()}");
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
