namespace Bridge.AppHost.Services;

/// <summary>One of the three services: its Aspire resource name (the <c>services__{name}__http__0</c> variables use it)
/// and its well-known port.</summary>
public sealed record ServiceName(string Name, int DefaultPort, params string[] Aliases)
{
    public static readonly ServiceName Cerebrum = new("cerebrum", 8000, "cerebrum.api", "cerebrum-api");
    public static readonly ServiceName LlmServer = new("llmserver", 8001, "llm-server", "llm");
    public static readonly ServiceName Middleware = new("middleware", 8002);

    public static readonly IReadOnlyList<ServiceName> All = [Cerebrum, LlmServer, Middleware];

    public static ServiceName? Find(string name) => All.FirstOrDefault(service =>
        string.Equals(service.Name, name.Trim(), StringComparison.OrdinalIgnoreCase)
        || service.Aliases.Contains(name.Trim(), StringComparer.OrdinalIgnoreCase));
}
