using Bridge.Testing;

namespace Cerebrum.Bench;

/// <summary>Where the repository and the services' built DLLs are, found from the bench's own output folder.</summary>
public static class RepoPaths
{
    public static string Root { get; } = SolutionLayout.TryLocate()?.RepositoryRoot
        ?? throw new InvalidOperationException("Bridge.sln not found above " + AppContext.BaseDirectory);

    /// <summary>The build configuration the bench itself was built with (Debug/Release); the services were built alongside.</summary>
    public static string Configuration { get; } = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    public static string ServiceDll(string project) =>
        Path.Combine(Root, "src", project, "bin", Configuration, "net10.0", project + ".dll");
}
