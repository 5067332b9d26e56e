using System.Diagnostics;

namespace Bridge.Testing;

/// <summary>Builds each service project with <c>dotnet build</c>, so a benchmark runs current code
/// (the AppHost builds its referenced projects the same way before it starts them).</summary>
public sealed class ServiceBuilder(SolutionLayout layout, ConsoleLog console)
{
    public async Task<bool> BuildAsync(IReadOnlyList<ServiceDefinition> services, CancellationToken cancellationToken)
    {
        for (var i = 0; i < services.Count; i++)
        {
            var service = services[i];
            var project = Path.GetRelativePath(layout.RepositoryRoot, layout.ProjectFile(service));
            console.Info($"building {service.Name} ({i + 1}/{services.Count}): dotnet build {project} -c {layout.Configuration}");
            var watch = Stopwatch.StartNew();
            var (exitCode, output) = await RunBuildAsync(layout.ProjectFile(service), cancellationToken);
            if (exitCode != 0)
            {
                console.Error($"building {service.Name} failed (exit code {exitCode}):");
                // MSBuild repeats every error in its closing summary; show each once.
                foreach (var line in output.Where(l => l.Contains(": error ", StringComparison.Ordinal) || l.Contains(": warning ", StringComparison.Ordinal))
                    .DefaultIfEmpty(string.Join('\n', output.Where(l => l.Length > 0).TakeLast(30))).Distinct().Take(60))
                {
                    console.Error($"  {line}");
                }

                return false;
            }

            console.Info($"built {service.Name} in {watch.Elapsed.TotalSeconds:0.0} s");
        }

        return true;
    }

    private async Task<(int ExitCode, IReadOnlyList<string> Output)> RunBuildAsync(string projectFile, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = layout.RepositoryRoot,
        };
        foreach (var argument in new[] { "build", projectFile, "-c", layout.Configuration, "-nologo", "-v:q", "-clp:NoSummary" })
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var build = Process.Start(startInfo) ?? throw new InvalidOperationException("Could not start 'dotnet build'.");
        var stdout = build.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = build.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await build.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            build.Kill(entireProcessTree: true);
            throw;
        }

        var lines = (await stdout + "\n" + await stderr).Split('\n', StringSplitOptions.TrimEntries);
        return (build.ExitCode, lines);
    }
}
