using System.Reflection;
using Bridge.Testing;

namespace Bridge.IntegrationTests.Infrastructure;

/// <summary>Finds the repository and the services' build output. The test project references the services with
/// <c>ReferenceOutputAssembly=false</c>, so building the tests builds them in the same configuration.</summary>
public static class BuildOutput
{
    public static string RepositoryRoot { get; } = SolutionLayout.TryLocate()?.RepositoryRoot
        ?? throw new InvalidOperationException($"Bridge.sln not found above {AppContext.BaseDirectory}.");

    public static string Configuration { get; } =
        typeof(BuildOutput).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    public static string TargetFramework { get; } = Path.GetFileName(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));

    public static string ProjectDirectory(string project) => Path.Combine(RepositoryRoot, "src", project);

    public static string ProjectFile(string project) => Path.Combine(ProjectDirectory(project), $"{project}.csproj");

    /// <summary><c>src/&lt;Project&gt;/bin/&lt;Configuration&gt;/net10.0/&lt;Project&gt;.dll</c>; fails with a clear message when missing.</summary>
    public static string EntryAssembly(string project)
    {
        var path = Path.Combine(ProjectDirectory(project), "bin", Configuration, TargetFramework, $"{project}.dll");
        File.Exists(path).ShouldBeTrue($"{path} is missing: build the solution in {Configuration} first.");
        return path;
    }
}
