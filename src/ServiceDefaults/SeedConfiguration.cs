using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;
using System.Text.Json;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Reads the original project's <c>config.json</c> (when present) and maps its keys onto the .NET configuration names
/// the services read. It sits above appsettings.json and below environment variables and the command line, so the
/// AppHost's and Docker's variables still win.
/// </summary>
public static class SeedConfiguration
{
    /// <summary>Seed key → configuration key. Ports and URLs become the Aspire service-discovery names.</summary>
    private static readonly IReadOnlyDictionary<string, Func<JsonElement, IEnumerable<KeyValuePair<string, string?>>>> Mappings =
        new Dictionary<string, Func<JsonElement, IEnumerable<KeyValuePair<string, string?>>>>(StringComparer.OrdinalIgnoreCase)
        {
            ["cerebrum_url"] = v => [new("services:cerebrum:http:0", v.ToString())],
            ["llm_server_port"] = v => [new("llm_server_port", v.ToString()), new("services:llmserver:http:0", $"http://localhost:{v}")],
            ["middleware_port"] = v => [new("middleware_port", v.ToString())],
            ["ollama_url"] = v => [new("Ollama:Url", v.ToString())],
            ["ollama_model"] = v => [new("Ollama:Model", v.ToString())],
            ["conversation_delay"] = v => [new("Training:Delay", v.ToString())],
            ["topic_switch_interval"] = v => [new("Training:TopicSwitchInterval", v.ToString())],
        };

    public static IConfigurationBuilder AddSeedConfigJson(this IConfigurationManager configuration)
    {
        var path = configuration["BRIDGE_CONFIG"] ?? Path.Combine(Directory.GetCurrentDirectory(), "config.json");
        if (!File.Exists(path))
        {
            return configuration;
        }

        var values = Read(path);
        var source = new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource { InitialData = values };
        var sources = configuration.Sources;
        var lastJson = sources.Select((s, i) => (s, i)).LastOrDefault(x => x.s is JsonConfigurationSource).i;
        sources.Insert(lastJson + 1, source);
        return configuration;
    }

    public static IReadOnlyList<KeyValuePair<string, string?>> Read(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            using var document = JsonDocument.Parse(stream);
            return document.RootElement.EnumerateObject()
                .Where(p => Mappings.ContainsKey(p.Name))
                .SelectMany(p => Mappings[p.Name](p.Value))
                .ToList();
        }
        catch (JsonException ex)
        {
            throw new InvalidOperationException($"'{path}' is not valid JSON: {ex.Message}", ex);
        }
    }
}
