using System.ComponentModel.DataAnnotations;

namespace LlmServer.Teachers.Ollama;

/// <summary><c>Ollama:*</c> (the seed's <c>ollama_url</c> and <c>ollama_model</c> map here).</summary>
public sealed class OllamaOptions
{
    public const string SectionName = "Ollama";

    [Required, Url]
    public string Url { get; set; } = "http://localhost:11434";

    [Required, MinLength(1)]
    public string Model { get; set; } = "gemma3:1b";

    /// <summary>Pull a missing model at start-up (progress in the log) instead of only saying how to.</summary>
    public bool AutoPull { get; set; }
}
