using System.Diagnostics;
using Bridge.Testing;

namespace LlmServer.Tests.Doubles;

/// <summary>
/// The built LlmServer.dll run as an operator runs it (Production), for start-up failures (see <see cref="ProcessExit"/>
/// for why not in-process). Ollama points at a closed port, the broker and API keys are left out.
/// </summary>
public static class LlmServerProcess
{
    public static async Task<(int ExitCode, string Output)> RunToExitAsync(params (string Key, string Value)[] settings)
    {
        using var directory = new TempDirectory("llmserver-start");
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "LlmServer.dll"), "--urls", $"http://127.0.0.1:{FreePorts.Next()}"])
        {
            WorkingDirectory = directory.Path,
        };
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Ollama__Url"] = ClosedPort.Url();
        foreach (var variable in new[] { "ConnectionStrings__rabbitmq", "OPENAI_API_KEY", "GEMINI_API_KEY", "CLAUDE_API_KEY" })
        {
            start.Environment.Remove(variable);
        }

        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        return await ProcessExit.RunToExitAsync(start, TimeSpan.FromSeconds(60));
    }
}
