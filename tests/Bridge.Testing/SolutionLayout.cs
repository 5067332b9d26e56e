using System.Reflection;

namespace Bridge.Testing;

/// <summary>Where the repository, the service projects and their build output are.</summary>
public sealed record SolutionLayout(string RepositoryRoot, string Configuration, string TargetFramework)
{
    private const string SolutionFile = "Bridge.sln";

    public string ProjectDirectory(ServiceDefinition service) => Path.Combine(RepositoryRoot, "src", service.ProjectName);

    public string ProjectFile(ServiceDefinition service) => Path.Combine(ProjectDirectory(service), $"{service.ProjectName}.csproj");

    public string EntryAssembly(ServiceDefinition service) =>
        Path.Combine(ProjectDirectory(service), "bin", Configuration, TargetFramework, $"{service.ProjectName}.dll");

    public string DefaultDataDirectory => Path.Combine(RepositoryRoot, ".bridge");

    /// <summary>Finds the repository from the caller's own build output (so it works from any directory), and
    /// uses the services' build in the configuration and framework the caller itself was built for.</summary>
    public static SolutionLayout? TryLocate()
    {
        var baseDirectory = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
        var root = FindUpwards(baseDirectory) ?? FindUpwards(Directory.GetCurrentDirectory());
        if (root is null)
        {
            return null;
        }

        var configuration = typeof(SolutionLayout).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration;
        var framework = Path.GetFileName(baseDirectory);
        if (!framework.StartsWith("net", StringComparison.Ordinal))
        {
            framework = $"net{Environment.Version.Major}.{Environment.Version.Minor}";
        }

        return new SolutionLayout(root, string.IsNullOrEmpty(configuration) ? "Debug" : configuration, framework);
    }

    private static string? FindUpwards(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, SolutionFile)))
            {
                return directory.FullName;
            }
        }

        return null;
    }
}
