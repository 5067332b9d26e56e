using System.ComponentModel.DataAnnotations;

namespace Cerebrum.Api.Infrastructure;

/// <summary>Configuration section <c>Cerebrum</c>.</summary>
public sealed class CerebrumOptions
{
    public const string SectionName = "Cerebrum";

    /// <summary>The learner's own SQLite file; relative paths are relative to the current directory.</summary>
    [Required(AllowEmptyStrings = false)]
    public string DatabasePath { get; set; } = "data/cerebrum.db";

    /// <summary>Order of the Kneser-Ney n-gram model.</summary>
    [Range(3, 5)]
    public int NgramOrder { get; set; } = 4;

    /// <summary>Every N-th observation is scored by the model before it is learned (the held-out slice).</summary>
    [Range(2, 1000)]
    public int HeldOutEvery { get; set; } = 10;

    /// <summary>How many recent replies the reply metrics (distinct-n, verbatim share, relevance) cover.</summary>
    [Range(10, 100_000)]
    public int MetricsWindow { get; set; } = 500;
}
