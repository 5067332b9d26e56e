namespace LlmServer.Teachers;

/// <summary>The names a provider goes by in configuration, requests and answers.</summary>
public static class ProviderNames
{
    public const string Ollama = "ollama";
    public const string OpenAI = "openai";
    public const string Gemini = "gemini";
    public const string Claude = "claude";
    public const string Embedded = "embedded";

    /// <summary>Not a provider: the default chain, Ollama when it answers, else the embedded teacher.</summary>
    public const string Auto = "auto";

    public static IReadOnlyList<string> All { get; } = [Ollama, OpenAI, Gemini, Claude, Embedded];

    public static bool IsKnown(string name) => All.Contains(name, StringComparer.OrdinalIgnoreCase);
}
