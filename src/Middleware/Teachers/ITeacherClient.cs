namespace Middleware.Teachers;

/// <summary>The one seam between the exchange loop and the teacher: HTTP to LlmServer, or request/response over the bus.</summary>
public interface ITeacherClient
{
    Task<TeacherTurn> GenerateTurnAsync(TeacherTurnRequest request, CancellationToken cancellationToken);
}

/// <param name="Message">What the teacher answers: the learner's last reply, or an opening line.</param>
/// <param name="History">Earlier turns, oldest first; the teacher is <c>assistant</c>, the learner <c>user</c>.</param>
/// <param name="Provider">The teacher of the pool that should answer (set by routing); null: LlmServer's chain chooses.</param>
/// <param name="Model">That teacher's model; null: the provider's default.</param>
public sealed record TeacherTurnRequest(Guid SessionId, int Sequence, string Topic, string Message, IReadOnlyList<ConversationTurn> History,
    string? Provider = null, string? Model = null);

public sealed record ConversationTurn(string Role, string Content)
{
    public const string Teacher = "assistant";
    public const string Learner = "user";
}

public sealed record TeacherTurn(string Response, string Model, string Provider, long DurationMs);

/// <summary>The teacher answered, but with nothing usable; worth another try later.</summary>
public sealed class TeacherUnavailableException(string message) : Exception(message);
