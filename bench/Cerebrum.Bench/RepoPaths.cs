using Bridge.Testing;

namespace Cerebrum.Bench;

/// <summary>Where the repository is, found from the bench's own output folder.</summary>
public static class RepoPaths
{
    public static string Root { get; } = SolutionLayout.TryLocate()?.RepositoryRoot
        ?? throw new InvalidOperationException("Bridge.sln not found above " + AppContext.BaseDirectory);
}
