using Bridge.IntegrationTests.Infrastructure;

namespace Bridge.IntegrationTests.Architecture;

/// <summary>The isolation the product promises (DESIGN.md): each service references ServiceDefaults and nothing else of
/// ours; the learner has no broker or LLM code; the teacher knows nothing of the learner or the bridge; no shared files.
/// Checked twice: in the project files, and in the built assemblies (what actually ships).</summary>
public sealed class ArchitectureTests
{
    private static readonly string[] OurProjects = ["Cerebrum.Api", "LlmServer", "Middleware", "AppHost", "ServiceDefaults", "Trainer.Cli"];
    private static readonly string[] BrokerAndLlmPrefixes = ["MassTransit", "RabbitMQ", "OllamaSharp", "OpenAI", "Microsoft.Extensions.AI", "Anthropic"];

    [Theory]
    [InlineData("Cerebrum.Api")]
    [InlineData("LlmServer")]
    [InlineData("Middleware")]
    public void A_service_project_references_no_project_of_ours_but_ServiceDefaults(string project)
    {
        var references = ProjectFile.ProjectReferences(SolutionLayout.Current.ProjectFile(project));

        references.ShouldBe(["ServiceDefaults"], $"{project}.csproj may reference ServiceDefaults and nothing else of ours");
    }

    [Theory]
    [InlineData("Cerebrum.Api")]
    [InlineData("LlmServer")]
    [InlineData("Middleware")]
    public void A_built_service_assembly_references_no_other_assembly_of_ours_but_ServiceDefaults(string project)
    {
        var facts = AssemblyFacts.Read(SolutionLayout.Current.EntryAssembly(project));

        facts.AssemblyReferences.Where(r => OurProjects.Contains(r) && r != "ServiceDefaults").ShouldBeEmpty();
        facts.ReferencedNamespaces.Where(n => OurProjects.Where(p => p is not "ServiceDefaults" && p != project)
            .Any(p => n == p || n.StartsWith(p + ".", StringComparison.Ordinal))).ShouldBeEmpty();
        facts.DependencyLibraries.Where(l => OurProjects.Contains(l) && l != project && l != "ServiceDefaults").ShouldBeEmpty(
            $"{project}.deps.json pulls in another project of ours");
    }

    [Fact]
    public void Cerebrum_has_no_broker_or_llm_package_in_its_project_or_its_build_output()
    {
        var packages = ProjectFile.PackageReferences(SolutionLayout.Current.ProjectFile("Cerebrum.Api"));
        packages.Where(IsBrokerOrLlm).ShouldBeEmpty();

        var facts = AssemblyFacts.Read(SolutionLayout.Current.EntryAssembly("Cerebrum.Api"));
        facts.AssemblyReferences.Where(IsBrokerOrLlm).ShouldBeEmpty();
        facts.ReferencedNamespaces.Where(IsBrokerOrLlm).ShouldBeEmpty();
        facts.DependencyLibraries.Where(IsBrokerOrLlm).ShouldBeEmpty("not even transitively");
        Directory.GetFiles(Path.GetDirectoryName(SolutionLayout.Current.EntryAssembly("Cerebrum.Api"))!, "*.dll")
            .Select(Path.GetFileNameWithoutExtension).Where(name => IsBrokerOrLlm(name!)).ShouldBeEmpty();
    }

    [Fact]
    public void Cerebrum_mentions_no_llm_server_middleware_port_or_broker_address()
    {
        var facts = AssemblyFacts.Read(SolutionLayout.Current.EntryAssembly("Cerebrum.Api"));

        facts.UserStrings.Where(s => ContainsAny(s, "ollama", "llmserver", "llm_server", ":8001", ":8002", "amqp://", "rabbitmq"))
            .ShouldBeEmpty();
        ConfigurationText("Cerebrum.Api").ShouldNotContain("8001");
        ConfigurationText("Cerebrum.Api").ShouldNotContain("8002");
    }

    [Fact]
    public void LlmServer_mentions_neither_Cerebrum_nor_the_Middleware_by_name_or_address()
    {
        var facts = AssemblyFacts.Read(SolutionLayout.Current.EntryAssembly("LlmServer"));

        facts.AssemblyReferences.Where(r => ContainsAny(r, "cerebrum", "middleware")).ShouldBeEmpty();
        facts.ReferencedNamespaces.Where(n => ContainsAny(n, "cerebrum") || n.StartsWith("Middleware", StringComparison.Ordinal)).ShouldBeEmpty();
        facts.UserStrings.Where(s => ContainsAny(s, "cerebrum", "middleware", ":8000", ":8002")).ShouldBeEmpty();

        var configuration = ConfigurationText("LlmServer");
        configuration.ShouldNotContain("cerebrum", Case.Insensitive);
        configuration.ShouldNotContain("8000");
        configuration.ShouldNotContain("8002");
    }

    [Fact]
    public void The_services_share_no_data_file_names_and_none_names_another_services_files()
    {
        var dataFiles = new[] { "Cerebrum.Api", "LlmServer", "Middleware" }.ToDictionary(
            project => project,
            project => AssemblyFacts.Read(SolutionLayout.Current.EntryAssembly(project)).UserStrings
                .Concat(ConfigurationValues(project))
                .Where(LooksLikeDataPath)
                .Select(s => Path.GetFileName(s.Replace('\\', '/')))
                .Where(name => name.Length > 0)
                .ToHashSet(StringComparer.OrdinalIgnoreCase));

        dataFiles["Cerebrum.Api"].ShouldContain(name => name.EndsWith(".db", StringComparison.OrdinalIgnoreCase),
            "Cerebrum's default database path should be visible in its assembly or appsettings");
        dataFiles["Middleware"].ShouldContain(name => name.EndsWith(".db", StringComparison.OrdinalIgnoreCase));

        foreach (var (project, files) in dataFiles)
        {
            foreach (var (other, otherFiles) in dataFiles.Where(d => d.Key != project))
            {
                files.Intersect(otherFiles, StringComparer.OrdinalIgnoreCase).ShouldBeEmpty($"{project} and {other} name the same data file");
            }
        }
    }

    private static bool IsBrokerOrLlm(string name) =>
        BrokerAndLlmPrefixes.Any(p => name.Equals(p, StringComparison.OrdinalIgnoreCase) || name.StartsWith(p + ".", StringComparison.OrdinalIgnoreCase));

    private static bool ContainsAny(string text, params string[] needles) =>
        needles.Any(n => text.Contains(n, StringComparison.OrdinalIgnoreCase));

    private static bool LooksLikeDataPath(string value) =>
        value.Length < 260
        && (value.EndsWith(".db", StringComparison.OrdinalIgnoreCase) || value.EndsWith(".sqlite", StringComparison.OrdinalIgnoreCase))
        && !value.Contains(' ', StringComparison.Ordinal);

    private static string ConfigurationText(string project) =>
        string.Join('\n', Directory.GetFiles(SolutionLayout.Current.ProjectDirectory(project), "appsettings*.json").Select(File.ReadAllText));

    private static IEnumerable<string> ConfigurationValues(string project) =>
        ConfigurationText(project).Split('"').Where(s => s.Length > 0);
}
