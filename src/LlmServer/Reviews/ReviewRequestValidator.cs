using LlmServer.Apis;
using LlmServer.Teachers;

namespace LlmServer.Reviews;

/// <summary>The limits of <c>POST /api/review</c>, keyed by the snake_case field the caller sent.</summary>
public static class ReviewRequestValidator
{
    public static Dictionary<string, string[]> Validate(ReviewRequest request)
    {
        // The history and topic follow the rules of /api/chat; the message checks are the review's own.
        var errors = ChatRequestValidator.ValidateHistoryAndTopic(request.History, request.Topic);

        if (request.TeacherMessage is null)
        {
            errors["teacher_message"] = ["'teacher_message' is required: the teacher's line the learner answered."];
        }
        else if (string.IsNullOrWhiteSpace(request.TeacherMessage) || request.TeacherMessage.Length > ChatRequestValidator.MaxTurnLength)
        {
            errors["teacher_message"] = [$"'teacher_message' must hold 1 to {ChatRequestValidator.MaxTurnLength} characters of text."];
        }

        if (request.LearnerReply is null)
        {
            errors["learner_reply"] = ["'learner_reply' is required (it may be empty: an empty reply is reviewed as one)."];
        }
        else if (request.LearnerReply.Length > ChatRequestValidator.MaxTurnLength)
        {
            errors["learner_reply"] = [$"'learner_reply' must be at most {ChatRequestValidator.MaxTurnLength} characters."];
        }

        if (request.Reviewer is not null
            && !request.Reviewer.Equals(ReviewerNames.Rules, StringComparison.OrdinalIgnoreCase)
            && !ProviderNames.IsKnown(request.Reviewer))
        {
            errors["reviewer"] = [$"Unknown reviewer '{request.Reviewer}'. Known: {ReviewerNames.Rules}, {string.Join(", ", ProviderNames.All)}; or leave it out for Reviewer:Chain."];
        }

        return errors;
    }
}
