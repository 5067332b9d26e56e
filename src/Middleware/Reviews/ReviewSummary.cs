using System.Text.Json;
using System.Text.Json.Serialization;

namespace Middleware.Reviews;

/// <summary>
/// <c>GET /api/training/reviews</c>: how the learner's replies were judged, overall and by category (topic, learner
/// phase). A person's verdict outranks the teacher's: approved means approved by a person, or with no person's
/// verdict, a <c>good</c> teacher verdict.
/// </summary>
public sealed record ReviewSummary(
    Guid? SessionId,
    int Reviewed,
    int Unreviewed,
    int HumanReviewed,
    double? MeanScore,
    double? MeanNormalizedReward,
    double? ApprovalRate,
    FeedbackCounts Feedback,
    [property: JsonConverter(typeof(VerbatimKeys<CategorySummary>))] IReadOnlyDictionary<string, CategorySummary> ByTopic,
    [property: JsonConverter(typeof(VerbatimKeys<CategorySummary>))] IReadOnlyDictionary<string, CategorySummary> ByPhase)
{
    public static ReviewSummary From(Guid? sessionId, IReadOnlyList<ReviewRecord> reviews)
    {
        var reviewed = reviews.Where(r => r.Status == ExchangeReviewView.Reviewed).ToList();
        return new ReviewSummary(
            sessionId,
            reviewed.Count,
            reviews.Count - reviewed.Count,
            reviewed.Count(r => r.HumanApproved is not null),
            Mean(reviewed.Select(r => r.EffectiveScore)),
            Mean(reviewed.Select(r => r.NormalizedReward)),
            Rate(reviewed),
            new FeedbackCounts(
                reviews.Count(r => r.FeedbackPending),
                reviews.Count(r => r.FeedbackVersion > 0 && !r.FeedbackPending && r.FeedbackError is null),
                reviews.Count(r => r.FeedbackVersion > 0 && !r.FeedbackPending && r.FeedbackError is not null)),
            ByCategory(reviewed, r => r.Topic),
            ByCategory(reviewed, r => string.IsNullOrEmpty(r.Phase) ? "unknown" : r.Phase));
    }

    private static Dictionary<string, CategorySummary> ByCategory(IEnumerable<ReviewRecord> reviewed, Func<ReviewRecord, string> category) =>
        reviewed.GroupBy(category).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(
            g => g.Key,
            g => new CategorySummary(g.Count(), Mean(g.Select(r => r.EffectiveScore)), Rate(g.ToList()), g.Count(r => r.Approved == true), g.Count(r => r.Approved == false)));

    private static double? Mean(IEnumerable<double?> values)
    {
        var known = values.OfType<double>().ToList();
        return known.Count == 0 ? null : Math.Round(known.Average(), 4);
    }

    private static double? Rate(IReadOnlyList<ReviewRecord> reviewed) =>
        reviewed.Count == 0 ? null : Math.Round((double)reviewed.Count(r => r.Approved == true) / reviewed.Count, 4);
}

public sealed record CategorySummary(int Reviewed, double? MeanScore, double? ApprovalRate, int Approved, int Denied);

/// <summary>Feedback to Cerebrum: still to send, acknowledged, and refused (a 4xx that sending again would not change).</summary>
public sealed record FeedbackCounts(int Pending, int Delivered, int Rejected);

/// <summary>Writes a dictionary's keys as they are: topics are data ("the weather"), not member names to snake_case.</summary>
public sealed class VerbatimKeys<TValue> : JsonConverter<IReadOnlyDictionary<string, TValue>>
{
    public override IReadOnlyDictionary<string, TValue>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JsonSerializer.Deserialize<Dictionary<string, TValue>>(ref reader, options);

    public override void Write(Utf8JsonWriter writer, IReadOnlyDictionary<string, TValue> value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var (key, item) in value)
        {
            writer.WritePropertyName(key);
            JsonSerializer.Serialize(writer, item, options);
        }

        writer.WriteEndObject();
    }
}
