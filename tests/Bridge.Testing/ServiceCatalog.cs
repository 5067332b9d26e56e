namespace Bridge.Testing;

/// <summary>One service a stack runs: its Aspire resource name, its project and its well-known port.</summary>
public sealed record ServiceDefinition(string Name, string ProjectName, int DefaultPort, ConsoleColor Colour);

/// <summary>The three Bridge services, in start-up order. Names are the Aspire resource names that the
/// <c>services__{name}__http__0</c> variables use (src/AppHost names its resources the same).</summary>
public static class ServiceCatalog
{
    public static readonly ServiceDefinition Cerebrum = new("cerebrum", "Cerebrum.Api", 8000, ConsoleColor.Cyan);
    public static readonly ServiceDefinition LlmServer = new("llmserver", "LlmServer", 8001, ConsoleColor.Magenta);
    public static readonly ServiceDefinition Middleware = new("middleware", "Middleware", 8002, ConsoleColor.Yellow);

    public static readonly IReadOnlyList<ServiceDefinition> All = [Cerebrum, LlmServer, Middleware];

    public static readonly IReadOnlyList<string> Names = [.. All.Select(s => s.Name)];

    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["cerebrum"] = "cerebrum",
        ["cerebrum.api"] = "cerebrum",
        ["cerebrum-api"] = "cerebrum",
        ["llmserver"] = "llmserver",
        ["llm-server"] = "llmserver",
        ["llm"] = "llmserver",
        ["middleware"] = "middleware",
    };

    public static string? Canonical(string name) => Aliases.GetValueOrDefault(name.Trim());
}
