using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace LlmServer.Reviews;

/// <summary>
/// What an LLM judge is asked: the rubric as a system prompt, the exchange as the user turn, and a JSON schema for
/// the answer that every provider enforces its own way (Ollama <c>format</c>, OpenAI <c>response_format</c>
/// json_schema, Anthropic <c>output_config.format</c>), all from <see cref="ChatOptions.ResponseFormat"/>.
/// </summary>
public static class JudgePrompt
{
    public const string SchemaName = "learner_reply_review";

    public static JsonElement Schema { get; } = BuildSchema();

    public static ChatResponseFormat ResponseFormat { get; } =
        ChatResponseFormat.ForJsonSchema(Schema, SchemaName, "A review of a beginner's reply in a conversation lesson.");

    public static string System { get; } = $"""
        You review the reply of a learner who is just beginning to speak English, in a conversation lesson.
        Score each dimension from 0.0 (worst) to 1.0 (best):
        - {ReviewRubric.Relevance}: does the reply answer what the teacher said or asked?
        - {ReviewRubric.Fluency}: is it a natural length and does it read smoothly (not one word, not a paragraph)?
        - {ReviewRubric.Grammar}: is it a complete, correct sentence?
        - {ReviewRubric.Novelty}: is it the learner's own words, not a copy of the teacher's line or of an earlier turn?
        - {ReviewRubric.OnTopic}: does it stay on the lesson's topic?
        A reply that repeats the teacher's message or an earlier turn scores at most 0.2 for {ReviewRubric.Relevance} and {ReviewRubric.Novelty}.
        Give one to three short reasons, and a better reply: one or two short, simple sentences that really answer the teacher, as the learner.
        Answer only with the JSON object the schema describes.
        """;

    public static IReadOnlyList<ChatMessage> Messages(ReviewInput input)
    {
        var text = new StringBuilder();
        text.AppendLine($"Topic: {input.Topic ?? "(none given)"}");
        if (input.History.Count > 0)
        {
            text.AppendLine("Conversation so far:");
            foreach (var turn in input.History)
            {
                text.AppendLine($"{(turn.IsLearner ? "Learner" : turn.IsTeacher ? "Teacher" : "System")}: {turn.Content}");
            }
        }

        text.AppendLine($"Teacher: {input.TeacherMessage}");
        text.AppendLine($"Learner's reply to review: {(input.LearnerReply.Length == 0 ? "(empty)" : input.LearnerReply)}");
        return [new ChatMessage(ChatRole.System, System), new ChatMessage(ChatRole.User, text.ToString())];
    }

    private static JsonElement BuildSchema()
    {
        var dimension = new { type = "number", minimum = 0, maximum = 1 };
        var schema = new
        {
            type = "object",
            properties = new Dictionary<string, object>
            {
                ["dimensions"] = new
                {
                    type = "object",
                    properties = ReviewRubric.Dimensions.ToDictionary(name => name, _ => (object)dimension),
                    required = ReviewRubric.Dimensions,
                    additionalProperties = false,
                },
                ["verdict"] = new { type = "string", @enum = ReviewRubric.Verdicts },
                ["reasons"] = new { type = "array", items = new { type = "string" } },
                ["better_reply"] = new { type = "string" },
            },
            required = new[] { "dimensions", "verdict", "reasons", "better_reply" },
            additionalProperties = false,
        };
        return JsonSerializer.SerializeToElement(schema);
    }
}
