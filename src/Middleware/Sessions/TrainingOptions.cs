using System.ComponentModel.DataAnnotations;

namespace Middleware.Sessions;

/// <summary>Defaults for a training session when the start request leaves a field out (<c>Training:*</c>).</summary>
public sealed class TrainingOptions : IValidatableObject
{
    public const string SectionName = "Training";

    /// <summary>Everyday topics a learner meets first; used when neither configuration nor the request names any.</summary>
    public static readonly IReadOnlyList<string> DefaultTopics =
    [
        "greetings and introductions",
        "the weather",
        "food and cooking",
        "family and friends",
        "hobbies and free time",
        "travel and places",
        "work and school",
        "animals and nature",
    ];

    [Range(1, TrainingLimits.MaxExchanges)]
    public int MaxExchanges { get; set; } = 100;

    /// <summary>Seconds to wait between two exchanges.</summary>
    [Range(0, TrainingLimits.MaxDelaySeconds)]
    public double Delay { get; set; } = 2.0;

    [Range(1, int.MaxValue)]
    public int TopicSwitchInterval { get; set; } = 10;

    public List<string> Topics { get; set; } = [];

    /// <summary>How many earlier exchanges travel to the teacher as history.</summary>
    [Range(0, 50)]
    public int HistoryExchanges { get; set; } = 5;

    public IReadOnlyList<string> EffectiveTopics => Topics.Count > 0 ? Topics : DefaultTopics;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Topics.Any(string.IsNullOrWhiteSpace))
        {
            yield return new ValidationResult("Training:Topics must not contain empty topics.", [nameof(Topics)]);
        }
    }
}

public static class TrainingLimits
{
    public const int MaxExchanges = 100_000;
    public const double MaxDelaySeconds = 3600;
    public const int MaxTopicLength = 200;
    public const int MaxTopics = 100;
    public const int MaxTeachers = 20;
}
