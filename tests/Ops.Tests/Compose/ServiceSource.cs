using System.Text.RegularExpressions;
using Ops.Tests.Infrastructure;

namespace Ops.Tests.Compose;

/// <summary>What a service's own source says: its default port and whether it reads a configuration key.</summary>
public sealed partial class ServiceSource(string project)
{
    private readonly Lazy<string> _text = new(() => string.Join('\n',
        Directory.EnumerateFiles(SolutionLayout.Current.PathOf("src", project), "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || Path.GetFileName(f).StartsWith("appsettings", StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .Select(File.ReadAllText)));

    public string Project { get; } = project;

    /// <summary>The port in <c>builder.UseDefaultPort(N ...)</c> of the service's Program.cs.</summary>
    public int DefaultPort()
    {
        var match = DefaultPortCall().Match(SolutionLayout.Current.ReadText("src", Project, "Program.cs"));
        match.Success.ShouldBeTrue($"src/{Project}/Program.cs has no UseDefaultPort(N) call.");
        return int.Parse(match.Groups[1].Value);
    }

    /// <summary>
    /// True when the source reads <paramref name="key"/> ("Section:Name", as in configuration): the section name appears as a
    /// string literal (GetSection("Section") / SectionName = "Section" / an appsettings key) and the last segment as a member
    /// or literal. <c>ConnectionStrings:x</c> needs <c>"x"</c>; <c>services:name:http:0</c> needs the logical address <c>http://name</c>
/// or the name as a literal that is put into such an address or a <c>services:{name}</c> lookup.
    /// </summary>
    public bool Reads(string key)
    {
        var text = _text.Value;
        var parts = key.Split(':');
        if (parts[0].Equals("ConnectionStrings", StringComparison.OrdinalIgnoreCase))
        {
            return text.Contains($"\"{parts[1]}\"", StringComparison.Ordinal);
        }

        if (parts[0].Equals("services", StringComparison.OrdinalIgnoreCase))
        {
            // Either a literal service-discovery address, or the name as a constant used in one / in a services:{name} lookup.
            return Regex.IsMatch(text, $@"(https?|https\+http)://{Regex.Escape(parts[1])}\b")
                || (text.Contains($"\"{parts[1]}\"", StringComparison.Ordinal) && (text.Contains("services:{", StringComparison.Ordinal) || text.Contains("://{", StringComparison.Ordinal)));
        }

        if (text.Contains($"\"{key}\"", StringComparison.Ordinal))
        {
            return true;
        }

        return parts.Length == 2
            && text.Contains($"\"{parts[0]}\"", StringComparison.Ordinal)
            && Regex.IsMatch(text, $@"\b{Regex.Escape(parts[1])}\b");
    }

    [GeneratedRegex(@"UseDefaultPort\(\s*(\d+)")]
    private static partial Regex DefaultPortCall();
}
