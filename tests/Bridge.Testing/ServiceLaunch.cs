using System.Diagnostics;

namespace Bridge.Testing;

/// <summary>What a service process is started with. <see cref="Environment"/> is the whole wiring contract
/// between a stack and a service: the same names the Aspire AppHost injects (a null value removes a variable
/// the child would otherwise inherit).</summary>
public sealed record ServiceLaunch(
    ServiceDefinition Service,
    string EntryAssembly,
    string ContentRoot,
    string WorkingDirectory,
    Uri Url,
    IReadOnlyDictionary<string, string?> Environment)
{
    /// <summary>Command-line arguments after the entry assembly (tests pass <c>--urls</c>).</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

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
