using System.Diagnostics;

namespace Bridge.Testing;

/// <summary>What a service process is started with. <see cref="Environment"/> is the whole wiring contract
/// between a stack and a service: the same names the Aspire AppHost injects (a null value removes a variable
/// the child would otherwise inherit).</summary>
public sealed record ServiceLaunch(
    ServiceDefinition Service,
    string EntryAssembly,
    string WorkingDirectory,
    Uri Url,
    IReadOnlyDictionary<string, string?> Environment)
{
    /// <summary>Command-line arguments after the entry assembly (a one-off command such as <c>--uninstall</c>).</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>
    /// <paramref name="service"/> as the AppHost starts it: <c>ASPNETCORE_URLS</c> (on 127.0.0.1, a fixed port so a
    /// restart comes back where it was), the project as content root as with <c>dotnet run</c>, Development,
    /// <c>OTEL_SERVICE_NAME</c>; with nothing of the caller's own environment leaking into the wiring under test.
    /// <paramref name="environment"/> comes on top (a null value removes a variable).
    /// </summary>
    public static ServiceLaunch Create(
        ServiceDefinition service, IReadOnlyDictionary<string, string?> environment, int? port = null, string? workingDirectory = null)
    {
        var layout = SolutionLayout.Current;
        var entryAssembly = layout.EntryAssembly(service);
        var url = new Uri($"http://127.0.0.1:{port ?? FreePorts.Next()}");
        var variables = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["ASPNETCORE_URLS"] = url.ToString().TrimEnd('/'),
            ["ASPNETCORE_HTTP_PORTS"] = null,
            ["ASPNETCORE_CONTENTROOT"] = layout.ProjectDirectory(service),
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["DOTNET_ENVIRONMENT"] = null,
            ["OTEL_SERVICE_NAME"] = service.Name,
            ["ConnectionStrings__rabbitmq"] = null,
            ["services__cerebrum__http__0"] = null,
            ["services__llmserver__http__0"] = null,
            ["BRIDGE_CONFIG"] = null,
            // Captured output is searched by tests and quoted in failures: no colour codes in it.
            ["NO_COLOR"] = "1",
        };
        foreach (var (name, value) in environment)
        {
            variables[name] = value;
        }

        return new ServiceLaunch(service, entryAssembly, workingDirectory ?? Path.GetDirectoryName(entryAssembly)!, url, variables);
    }

    /// <summary><c>dotnet &lt;EntryAssembly&gt; &lt;Arguments&gt;</c> in the working directory with the environment applied;
    /// output is redirected, and so is stdin (the services never read it; a closed pipe keeps them off the terminal).</summary>
    public ProcessStartInfo ToStartInfo()
    {
        var startInfo = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = WorkingDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        startInfo.ArgumentList.Add(EntryAssembly);
        foreach (var argument in Arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in Environment)
        {
            if (value is null)
            {
                startInfo.Environment.Remove(name);
            }
            else
            {
                startInfo.Environment[name] = value;
            }
        }

        return startInfo;
    }
}
