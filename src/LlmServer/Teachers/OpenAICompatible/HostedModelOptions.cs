using System.ComponentModel.DataAnnotations;

namespace LlmServer.Teachers.OpenAICompatible;

/// <summary>Base URL, model and key of a hosted provider. The key comes from configuration or the environment only.</summary>
public abstract class HostedModelOptions
{
    [Required, Url]
    public string BaseUrl { get; set; } = string.Empty;

    [Required, MinLength(1)]
    public string Model { get; set; } = string.Empty;

    /// <summary>Filled from the provider's environment variable (e.g. <c>OPENAI_API_KEY</c>) when not set in its section.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The environment variable users set for this provider, named in messages about a missing or rejected key.</summary>
    public abstract string KeyVariable { get; }

    /// <summary>The provider's own hosted endpoint, where a key is always needed.</summary>
    public abstract string DefaultBaseUrl { get; }

    public bool HasKey => !string.IsNullOrWhiteSpace(ApiKey);

    /// <summary>A self-hosted OpenAI-compatible server (vLLM, llama.cpp) usually needs no key; the hosted services do.</summary>
    public bool NeedsKey => Uri.TryCreate(BaseUrl, UriKind.Absolute, out var url)
        && Uri.TryCreate(DefaultBaseUrl, UriKind.Absolute, out var hosted)
        && url.Host.Equals(hosted.Host, StringComparison.OrdinalIgnoreCase);

    public string? ConfigurationProblem => NeedsKey && !HasKey ? $"{KeyVariable} is not set" : null;

    /// <summary>Replaces the key wherever a message from the provider echoes it back, so it never reaches a log or a client.</summary>
    public string Redact(string text) => HasKey ? text.Replace(ApiKey!, "***", StringComparison.Ordinal) : text;
}

/// <summary><c>OpenAI:*</c> and <c>OPENAI_API_KEY</c>: OpenAI itself or any OpenAI-compatible server.</summary>
public sealed class OpenAIOptions : HostedModelOptions
{
    public const string SectionName = "OpenAI";

    public OpenAIOptions()
    {
        BaseUrl = DefaultBaseUrl;
        Model = "gpt-4o-mini";
    }

    public override string KeyVariable => "OPENAI_API_KEY";

    public override string DefaultBaseUrl => "https://api.openai.com/v1/";
}

/// <summary><c>Gemini:*</c> and <c>GEMINI_API_KEY</c>, through Google's OpenAI-compatible endpoint.</summary>
public sealed class GeminiOptions : HostedModelOptions
{
    public const string SectionName = "Gemini";

    public GeminiOptions()
    {
        BaseUrl = DefaultBaseUrl;
        Model = "gemini-2.0-flash";
    }

    public override string KeyVariable => "GEMINI_API_KEY";

    public override string DefaultBaseUrl => "https://generativelanguage.googleapis.com/v1beta/openai/";
}

/// <summary><c>Claude:*</c> and <c>CLAUDE_API_KEY</c>, through the official Anthropic SDK and its Messages API.</summary>
public sealed class ClaudeOptions : HostedModelOptions
{
    public const string SectionName = "Claude";

    public ClaudeOptions()
    {
        BaseUrl = DefaultBaseUrl;
        Model = "claude-3-5-haiku-latest";
    }

    public override string KeyVariable => "CLAUDE_API_KEY";

    public override string DefaultBaseUrl => "https://api.anthropic.com";
}
