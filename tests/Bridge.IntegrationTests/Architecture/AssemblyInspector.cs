using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using System.Text.Json;
using System.Xml.Linq;

namespace Bridge.IntegrationTests.Architecture;

/// <summary>What a built assembly depends on and mentions, read from its metadata without loading it.</summary>
public sealed record AssemblyFacts(
    IReadOnlyList<string> AssemblyReferences,
    IReadOnlyList<string> ReferencedNamespaces,
    IReadOnlyList<string> UserStrings,
    IReadOnlyList<string> DependencyLibraries)
{
    public static AssemblyFacts Read(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();

        var references = metadata.AssemblyReferences
            .Select(h => metadata.GetString(metadata.GetAssemblyReference(h).Name))
            .ToList();
        var namespaces = metadata.TypeReferences
            .Select(h => metadata.GetString(metadata.GetTypeReference(h).Namespace))
            .Where(n => n.Length > 0)
            .Distinct()
            .ToList();

        var strings = new List<string>();
        var heapSize = metadata.GetHeapSize(HeapIndex.UserString);
        for (var handle = MetadataTokens.UserStringHandle(1);
             !handle.IsNil && MetadataTokens.GetHeapOffset(handle) < heapSize;
             handle = metadata.GetNextHandle(handle))
        {
            strings.Add(metadata.GetUserString(handle));
        }

        return new AssemblyFacts(references, namespaces, strings, ReadDependencyLibraries(assemblyPath));
    }

    /// <summary>Every package and project in the app's <c>.deps.json</c>: the transitive closure, not only direct references.</summary>
    private static List<string> ReadDependencyLibraries(string assemblyPath)
    {
        var depsPath = Path.ChangeExtension(assemblyPath, ".deps.json");
        if (!File.Exists(depsPath))
        {
            return [];
        }

        using var deps = JsonDocument.Parse(File.ReadAllText(depsPath));
        return deps.RootElement.GetProperty("libraries").EnumerateObject()
            .Select(p => p.Name.Split('/')[0])
            .ToList();
    }
}

public static class ProjectFile
{
    /// <summary>The file names of a project's <c>ProjectReference</c> items.</summary>
    public static IReadOnlyList<string> ProjectReferences(string csprojPath) =>
        XDocument.Load(csprojPath).Descendants()
            .Where(e => e.Name.LocalName == "ProjectReference")
            .Select(e => Path.GetFileNameWithoutExtension(((string?)e.Attribute("Include") ?? string.Empty).Replace('\\', '/')))
            .ToList();

    public static IReadOnlyList<string> PackageReferences(string csprojPath) =>
        XDocument.Load(csprojPath).Descendants()
            .Where(e => e.Name.LocalName == "PackageReference")
            .Select(e => (string?)e.Attribute("Include") ?? string.Empty)
            .ToList();
}
