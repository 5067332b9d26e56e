using System.ComponentModel.DataAnnotations;

namespace Middleware.Reviews;

/// <summary><c>Reviews:*</c>, and <c>Training:Review</c>: whether and by whom every learner reply is reviewed.</summary>
public sealed class ReviewOptions : IValidatableObject
{
    public const string SectionName = "Reviews";
    public const string ModeKey = "Training:Review";

    /// <summary>LlmServer's reviewer chain (its default is the teacher's chain).</summary>
    public const string Teacher = "teacher";

    /// <summary>LlmServer's rule-based verifier only: no model, fast.</summary>
    public const string Rules = "rules";

    public const string Off = "off";

    public static IReadOnlyList<string> Modes { get; } = [Teacher, Rules, Off];

    /// <summary>From <c>Training:Review</c>.</summary>
    public string Mode { get; set; } = Teacher;

    /// <summary>Attempts per review before the exchange is marked unreviewed and the session goes on.</summary>
    [Range(1, 20)]
    public int Attempts { get; set; } = 3;

    /// <summary>One review may take this long (an LLM judge on a CPU is slow).</summary>
    [Range(1, 3600)]
    public double TimeoutSeconds { get; set; } = 120;

    /// <summary>The weight of the newest reward in the session's running mean and variance.</summary>
    [Range(0.001, 1)]
    public double EmaAlpha { get; set; } = 0.1;

    /// <summary>How many earlier exchanges of the topic travel to the reviewer as history.</summary>
    [Range(0, 50)]
    public int HistoryExchanges { get; set; } = 5;

    public bool Enabled => !Mode.Equals(Off, StringComparison.OrdinalIgnoreCase);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Modes.Contains(Mode, StringComparer.OrdinalIgnoreCase))
        {
            yield return new ValidationResult($"{ModeKey} is '{Mode}'; use one of {string.Join(", ", Modes)}.", [nameof(Mode)]);
        }
    }
}
