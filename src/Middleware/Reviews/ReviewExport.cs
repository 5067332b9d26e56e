using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Middleware.Reviews;

/// <summary>
/// The reviews as training data. <c>sft</c>: OpenAI chat fine-tuning JSONL of approved replies (score at least
/// <c>min_score</c>) and of corrections; <c>dpo</c>: OpenAI preference JSONL of denied replies that have a correction;
/// <c>modelfile</c>: an Ollama Modelfile whose <c>MESSAGE</c> lines are the best approved exchanges.
/// The learner is the assistant; the teacher's line is the user turn.
/// </summary>
public sealed class ReviewExport(ReviewStore reviews)
{
    public const string Sft = "sft";
    public const string Dpo = "dpo";
    public const string Modelfile = "modelfile";

    public static IReadOnlyList<string> Formats { get; } = [Sft, Dpo, Modelfile];

    public const string DefaultBaseModel = "gemma3:1b";
    public const int DefaultModelfileMessages = 20;

    // OpenAI's fine-tuning files use these exact lower-case names, whatever the API's own casing.
    private static readonly JsonSerializerOptions Jsonl = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public static string SystemPrompt(string topic) =>
        $"You are a friendly English conversation partner. Answer in one or two short, simple sentences. Today's topic is {topic}.";

    public async IAsyncEnumerable<string> SftAsync(Guid? sessionId, double minScore, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var review in await ReviewedAsync(sessionId, cancellationToken))
        {
            var reply = review.Approved == true && (review.EffectiveScore ?? 0) >= minScore && !string.IsNullOrWhiteSpace(review.Learner)
                ? review.Learner
                : review.Approved == false ? review.Correction : null;
            if (!string.IsNullOrWhiteSpace(reply))
            {
                yield return JsonSerializer.Serialize(new ChatExample([.. Prompt(review), new ChatMessage("assistant", reply.Trim())]), Jsonl);
            }
        }
    }

    public async IAsyncEnumerable<string> DpoAsync(Guid? sessionId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var review in await ReviewedAsync(sessionId, cancellationToken))
        {
            if (review.Approved == false && !string.IsNullOrWhiteSpace(review.Correction) && review.Learner is not null
                && !review.Correction.Trim().Equals(review.Learner.Trim(), StringComparison.Ordinal))
            {
                yield return JsonSerializer.Serialize(new PreferenceExample(
                    new PreferenceInput(Prompt(review)),
                    [new ChatMessage("assistant", review.Correction.Trim())],
                    [new ChatMessage("assistant", review.Learner)]), Jsonl);
            }
        }
    }

    public async Task<string> ModelfileAsync(Guid? sessionId, double minScore, string baseModel, int messages, CancellationToken cancellationToken)
    {
        var all = await ReviewedAsync(sessionId, cancellationToken);
        var best = all
            .Where(r => r.Approved == true && (r.EffectiveScore ?? 0) >= minScore && !string.IsNullOrWhiteSpace(r.Learner))
            .OrderByDescending(r => r.EffectiveScore)
            .ThenBy(r => r.ReviewedAt)
            .Take(messages)
            .ToList();
        var topics = all.Select(r => r.Topic).Distinct().Take(10).ToList();

        var text = new StringBuilder();
        text.AppendLine($"# Built by Bridge from {all.Count} reviewed exchanges; {best.Count} approved ones as example messages.");
        text.AppendLine($"# ollama create bridge-learner -f Modelfile");
        text.AppendLine($"FROM {baseModel}");
        text.AppendLine("PARAMETER temperature 0.7");
        text.AppendLine($"SYSTEM \"\"\"{Quote(SystemPrompt(topics.Count == 0 ? "everyday life" : string.Join(", ", topics)))}" +
                        " Build on what the teacher just said and answer the question it asked.\"\"\"");
        foreach (var review in best)
        {
            text.AppendLine($"MESSAGE user {OneLine(review.Teacher ?? string.Empty)}");
            text.AppendLine($"MESSAGE assistant {OneLine(review.Learner!)}");
        }

        return text.ToString();
    }

    private async Task<IReadOnlyList<ReviewRecord>> ReviewedAsync(Guid? sessionId, CancellationToken cancellationToken) =>
        [.. (await reviews.ListAsync(sessionId, cancellationToken)).Where(r => r.Status == ExchangeReviewView.Reviewed && r.Teacher is not null)];

    private static List<ChatMessage> Prompt(ReviewRecord review) =>
        [new ChatMessage("system", SystemPrompt(review.Topic)), new ChatMessage("user", review.Teacher!)];

    /// <summary>A MESSAGE line holds one line of text; newlines and runs of spaces become one space.</summary>
    private static string OneLine(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static string Quote(string text) => text.Replace("\"\"\"", "\"", StringComparison.Ordinal);

    private sealed record ChatMessage([property: JsonPropertyName("role")] string Role, [property: JsonPropertyName("content")] string Content);

    private sealed record ChatExample([property: JsonPropertyName("messages")] IReadOnlyList<ChatMessage> Messages);

    private sealed record PreferenceInput([property: JsonPropertyName("messages")] IReadOnlyList<ChatMessage> Messages);

    private sealed record PreferenceExample(
        [property: JsonPropertyName("input")] PreferenceInput Input,
        [property: JsonPropertyName("preferred_output")] IReadOnlyList<ChatMessage> PreferredOutput,
        [property: JsonPropertyName("non_preferred_output")] IReadOnlyList<ChatMessage> NonPreferredOutput);
}
