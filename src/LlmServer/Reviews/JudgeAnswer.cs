using System.Text.Json;

namespace LlmServer.Reviews;

/// <summary>
/// Reads a judge's answer and checks it against the rubric: every dimension present and within 0..1, a known verdict,
/// a non-empty better reply. Anything else is a <see cref="JudgeAnswerException"/> saying what was wrong.
/// </summary>
public static class JudgeAnswer
{
    public const int MaxBetterReplyLength = 1000;

    public static Review Parse(string? text, string reviewer)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new JudgeAnswerException("the judge answered with nothing");
        }

        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(StripFence(text));
            root = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new JudgeAnswerException($"the judge's answer is not JSON ({ex.Message.Split(". ")[0]})");
        }

        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("dimensions", out var dims) || dims.ValueKind != JsonValueKind.Object)
        {
            throw new JudgeAnswerException("the judge's answer has no 'dimensions' object");
        }

        var dimensions = new Dictionary<string, double>();
        foreach (var name in ReviewRubric.Dimensions)
        {
            if (!dims.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Number)
            {
                throw new JudgeAnswerException($"the judge's answer lacks the number '{name}'");
            }

            var number = value.GetDouble();
            if (double.IsNaN(number) || number < 0 || number > 1)
            {
                throw new JudgeAnswerException($"the judge's '{name}' is {number}, outside 0..1");
            }

            dimensions[name] = Math.Round(number, 3);
        }

        var better = root.TryGetProperty("better_reply", out var b) && b.ValueKind == JsonValueKind.String ? b.GetString()!.Trim() : string.Empty;
        if (better.Length == 0 || better.Length > MaxBetterReplyLength)
        {
            throw new JudgeAnswerException($"the judge's 'better_reply' must be 1 to {MaxBetterReplyLength} characters");
        }

        var reasons = root.TryGetProperty("reasons", out var r) && r.ValueKind == JsonValueKind.Array
            ? r.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!.Trim()).Where(s => s.Length > 0).Take(5).ToList()
            : [];

        // The score and verdict follow from the dimensions, so every reviewer's numbers mean the same.
        var score = ReviewRubric.Score(dimensions);
        return new Review(score, ReviewRubric.VerdictFor(score), dimensions, reasons, better, reviewer);
    }

    /// <summary>Small models wrap JSON in a markdown fence even when asked not to.</summary>
    private static string StripFence(string text)
    {
        var trimmed = text.Trim();
        if (!trimmed.StartsWith("```", StringComparison.Ordinal))
        {
            return trimmed;
        }

        var start = trimmed.IndexOf('\n');
        var end = trimmed.LastIndexOf("```", StringComparison.Ordinal);
        return start > 0 && end > start ? trimmed[(start + 1)..end] : trimmed;
    }
}

public sealed class JudgeAnswerException(string message) : Exception(message);
