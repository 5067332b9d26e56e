using System.Reflection;
using Bridge.Testing;

namespace Ops.Tests.Infrastructure;

/// <summary>Paths in the checked-out repository and the build output of its projects.</summary>
public static class Repository
{
    public static string Root { get; } = SolutionLayout.TryLocate()?.RepositoryRoot
        ?? throw new InvalidOperationException($"No Bridge.sln above {AppContext.BaseDirectory}.");

    /// <summary>Debug or Release: the configuration this test assembly was built with, so the projects it built match.</summary>
    public static string Configuration { get; } =
        typeof(Repository).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    public static string ReadText(params string[] parts) => File.ReadAllText(PathOf(parts));

    /// <summary>The built DLL of a project under src/, e.g. <c>Trainer.Cli</c>.</summary>
    public static string DllOf(string project)
    {
        var path = PathOf("src", project, "bin", Configuration, "net10.0", project + ".dll");
        File.Exists(path).ShouldBeTrue($"{path} is missing: build it first (dotnet build src/{project}).");
        return path;
    }
}
