namespace Middleware.Routing;

/// <summary>One teacher of a pool: a provider of LlmServer and, optionally, the model it should use
/// (<c>ollama/gemma3:1b</c>, <c>openai/gpt-4o-mini</c>, <c>embedded</c>).</summary>
public sealed record TeacherName(string Provider, string? Model)
{
    /// <summary>LlmServer's provider names; a teacher naming anything else can never be served.</summary>
    public static IReadOnlyList<string> Providers { get; } = ["ollama", "openai", "gemini", "claude", "embedded"];

    public const int MaxLength = 200;

    public override string ToString() => Model is null ? Provider : $"{Provider}/{Model}";

    /// <summary>Parses <c>provider</c> or <c>provider/model</c>; the model may itself hold slashes
    /// (<c>openai/meta-llama/Llama-3.2-1B</c>) and colons (<c>ollama/gemma3:1b</c>).</summary>
    public static bool TryParse(string? text, out TeacherName teacher, out string error)
    {
        teacher = null!;
        var value = text?.Trim();
        if (string.IsNullOrEmpty(value) || value.Length > MaxLength)
        {
            error = $"a teacher is 'provider' or 'provider/model' of 1 to {MaxLength} characters; got '{Shorten(text)}'.";
            return false;
        }

        var slash = value.IndexOf('/', StringComparison.Ordinal);
        var provider = (slash < 0 ? value : value[..slash]).ToLowerInvariant();
        var model = slash < 0 ? null : value[(slash + 1)..].Trim();
        if (!Providers.Contains(provider))
        {
            error = $"unknown teacher '{Shorten(value)}': its provider must be one of {string.Join(", ", Providers)}.";
            return false;
        }

        if (model is not null && (model.Length == 0 || model.Any(char.IsWhiteSpace)))
        {
            error = $"teacher '{Shorten(value)}' names an empty model or one with spaces; write 'provider/model' or just 'provider'.";
            return false;
        }

        teacher = new TeacherName(provider, model);
        error = "";
        return true;
    }

    public static TeacherName Parse(string text) =>
        TryParse(text, out var teacher, out var error) ? teacher : throw new FormatException(error);

    private static string Shorten(string? text) => text is null ? "null" : text.Length > 60 ? text[..60] + "…" : text;
}
