using System.ComponentModel.DataAnnotations;
using LlmServer.Teachers;

namespace LlmServer.Reviews;

/// <summary><c>Reviewer:*</c>: who judges the learner's replies. Its own chain, so a small teacher can be judged by a strong model.</summary>
public sealed class ReviewerOptions : IValidatableObject
{
    public const string SectionName = "Reviewer";

    /// <summary>Providers to ask in order, as <c>Teacher:Chain</c>; empty means the teacher's chain.
    /// <c>embedded</c> (or <c>rules</c>) is the rule-based verifier, which every chain falls back to.</summary>
    public string? Chain { get; set; }

    /// <summary>How long one judge may take before its answer counts as late and the rules answer.</summary>
    [Range(0.1, 600)]
    public double TimeoutSeconds { get; set; } = 30;

    public IReadOnlyList<string> ResolveChain(TeacherOptions teacher)
    {
        if (string.IsNullOrWhiteSpace(Chain))
        {
            return teacher.ResolveChain();
        }

        var names = Chain
            .Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(name => name.ToLowerInvariant() == ReviewerNames.Rules ? ProviderNames.Embedded : name.ToLowerInvariant())
            .Distinct()
            .ToList();
        return names is [ProviderNames.Auto] ? [ProviderNames.Ollama, ProviderNames.Embedded] : names;
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(Chain))
        {
            yield break;
        }

        foreach (var unknown in ResolveChain(new TeacherOptions()).Where(name => !ProviderNames.IsKnown(name)))
        {
            yield return new ValidationResult(
                $"Reviewer:Chain names an unknown provider '{unknown}'. Known: {ProviderNames.Auto} (alone), {ReviewerNames.Rules}, {string.Join(", ", ProviderNames.All)}.",
                [nameof(Chain)]);
        }
    }
}

public static class ReviewerNames
{
    /// <summary>The rule-based verifier, by the name a caller may use for it; the same as the embedded provider.</summary>
    public const string Rules = "rules";
}
