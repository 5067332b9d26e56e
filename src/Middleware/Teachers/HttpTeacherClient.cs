using Middleware.Infrastructure;

namespace Middleware.Teachers;

/// <summary>Teacher turns over LlmServer's <c>POST /api/chat</c> (the mode without a broker).</summary>
public sealed class HttpTeacherClient(ILlmServerApi llmServer) : ITeacherClient
{
    public async Task<TeacherTurn> GenerateTurnAsync(TeacherTurnRequest request, CancellationToken cancellationToken)
    {
        var history = request.History.Select(t => new LlmChatTurn(t.Role, t.Content)).ToList();
        var reply = await llmServer.ChatAsync(new LlmChatRequest(request.Message, history, request.Topic, request.Model, request.Provider), cancellationToken);
        if (string.IsNullOrWhiteSpace(reply?.Response))
        {
            throw new TeacherUnavailableException("LlmServer answered with an empty teacher turn.");
        }

        return new TeacherTurn(reply.Response, reply.Model ?? "", reply.Provider ?? "", reply.DurationMs);
    }
}
