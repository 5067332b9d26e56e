using System.Reflection;

namespace Bridge.Testing;

/// <summary>Where the repository, the projects and their build output are.</summary>
public sealed record SolutionLayout(string RepositoryRoot, string Configuration, string TargetFramework)
{
    private const string SolutionFile = "Bridge.sln";
    private static readonly Lazy<SolutionLayout> Located = new(() => TryLocate()
        ?? throw new InvalidOperationException($"{SolutionFile} not found above {AppContext.BaseDirectory}."));

    /// <summary>The repository the running test or benchmark was built from.</summary>
    public static SolutionLayout Current => Located.Value;

    public string PathOf(params string[] parts) => Path.Combine([RepositoryRoot, .. parts]);

    public string ReadText(params string[] parts) => File.ReadAllText(PathOf(parts));

    public string ProjectDirectory(string project) => PathOf("src", project);

    public string ProjectDirectory(ServiceDefinition service) => ProjectDirectory(service.ProjectName);

    public string ProjectFile(string project) => Path.Combine(ProjectDirectory(project), $"{project}.csproj");

    public string ProjectFile(ServiceDefinition service) => ProjectFile(service.ProjectName);

    /// <summary><c>src/&lt;project&gt;/bin/&lt;Configuration&gt;/&lt;framework&gt;/&lt;project&gt;.dll</c>; throws when it is missing.
    /// The test projects reference what they run with <c>ReferenceOutputAssembly=false</c>, so building them builds it.</summary>
    public string EntryAssembly(string project)
    {
        var path = Path.Combine(ProjectDirectory(project), "bin", Configuration, TargetFramework, $"{project}.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"{path} is missing: build it in {Configuration} first.", path);
    }

    public string EntryAssembly(ServiceDefinition service) => EntryAssembly(service.ProjectName);

    /// <summary>Finds the repository from the caller's own build output (so it works from any directory), and
    /// uses the build in the configuration and framework the caller itself was built for.</summary>
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
