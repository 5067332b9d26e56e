namespace LlmServer.Teachers.Ollama;

internal static class OllamaModels
{
    /// <summary>Ollama lists "gemma3" as "gemma3:latest"; both names mean the same model.</summary>
    public static bool Contains(IEnumerable<string> installed, string model) =>
        installed.Any(name => name.Equals(model, StringComparison.OrdinalIgnoreCase)
            || (!model.Contains(':') && name.Equals(model + ":latest", StringComparison.OrdinalIgnoreCase)));

    public static string PullHint(string model) => $"run `ollama pull {model}` (or set Ollama:AutoPull=true to let LlmServer pull it)";
}
