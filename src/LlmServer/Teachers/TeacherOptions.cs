using System.ComponentModel.DataAnnotations;

namespace LlmServer.Teachers;

/// <summary><c>Teacher:*</c>: which providers answer, in which order, and how long each may take.</summary>
public sealed class TeacherOptions : IValidatableObject
{
    public const string SectionName = "Teacher";

    /// <summary><c>auto</c> (Ollama when reachable, else embedded), one provider, or an ordered list such as <c>ollama,openai,embedded</c>.</summary>
    [Required]
    public string Chain { get; set; } = ProviderNames.Auto;

    /// <summary>How long one provider may take for one turn before the next provider in the chain gets it.</summary>
    [Range(1, 600)]
    public double TimeoutSeconds { get; set; } = 60;

    /// <summary>How long a provider that failed is skipped before the chain tries it again.</summary>
    [Range(0, 3600)]
    public double RetryUnavailableAfterSeconds { get; set; } = 30;

    /// <summary>How long a start-up or <c>/api/models</c> reachability check may take per provider.</summary>
    [Range(0.1, 60)]
    public double ProbeTimeoutSeconds { get; set; } = 2;

    public IReadOnlyList<string> ResolveChain()
    {
        var names = (Chain ?? string.Empty)
            .Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(name => name.ToLowerInvariant())
            .Distinct()
            .ToList();

        return names is [ProviderNames.Auto] ? [ProviderNames.Ollama, ProviderNames.Embedded] : names;
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var names = ResolveChain();
        if (names.Count == 0)
        {
            yield return new ValidationResult(
                $"Teacher:Chain is empty. Use '{ProviderNames.Auto}', one provider or an ordered list such as 'ollama,openai,embedded'.",
                [nameof(Chain)]);
        }

        foreach (var unknown in names.Where(name => !ProviderNames.IsKnown(name)))
        {
            yield return new ValidationResult(
                $"Teacher:Chain names an unknown provider '{unknown}'. Known: {ProviderNames.Auto} (alone), {string.Join(", ", ProviderNames.All)}.",
                [nameof(Chain)]);
        }
    }
}
