using System.Diagnostics;
using Bridge.Testing;

namespace Middleware.Tests;

/// <summary>
/// The built Middleware.dll run as an operator runs it (Production, its own Serilog console output), on the data folder,
/// peers and settings a test gives. Start-up failures are tested this way (see <see cref="ProcessExit"/>).
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
    public static Task<(int ExitCode, string Output)> RunToExitAsync(MiddlewareFiles files, string cerebrumAddress, string llmServerAddress, IEnumerable<KeyValuePair<string, string?>> settings) =>
        ProcessExit.RunToExitAsync(StartInfo(files, cerebrumAddress, llmServerAddress, Doubles.PeerDouble.UnusedPort(), settings), TimeSpan.FromSeconds(60));
}
