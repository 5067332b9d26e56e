using LlmServer.Teachers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlmServer.Tests.Doubles;

/// <summary>LlmServer in-process with the given configuration; its logs go to <see cref="Logs"/>.</summary>
public sealed class LlmServerFactory(IReadOnlyDictionary<string, string?> settings) : WebApplicationFactory<TeacherChain>
{
    public LogCapture Logs { get; } = new();

    /// <summary>Defaults that keep a test off the machine's real Ollama and fast to give up on it.</summary>
    public static LlmServerFactory With(params (string Key, string? Value)[] settings)
    {
        var all = new Dictionary<string, string?>
        {
            ["Ollama:Url"] = ClosedPort.Url(),
            ["Teacher:ProbeTimeoutSeconds"] = "10",
            ["Teacher:TimeoutSeconds"] = "10",
            // Whatever keys the machine running the tests holds, a test sees only the ones it sets.
            ["OPENAI_API_KEY"] = "",
            ["GEMINI_API_KEY"] = "",
            ["CLAUDE_API_KEY"] = "",
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        return new LlmServerFactory(all);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services => services.AddSingleton<ILoggerFactory>(new LoggerFactory([Logs])));
    }
}
