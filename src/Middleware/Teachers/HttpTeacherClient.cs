using Microsoft.Extensions.Options;
using Middleware.Extensions;
using Middleware.Infrastructure;
using Middleware.Sessions;

namespace Middleware.Teachers;

/// <summary>Teacher turns over LlmServer's <c>POST /api/chat</c> (the mode without a broker). The resilience pipeline
/// times each attempt out; a hard <see cref="Deadline"/> just beyond its total bounds the call whatever happens inside.</summary>
public sealed class HttpTeacherClient(ILlmServerApi llmServer, IOptions<MiddlewareOptions> options) : ITeacherClient
{
    private readonly TimeSpan _deadline = PeerClientExtensions.TotalTimeout(options.Value.TeacherTimeoutSeconds) + TimeSpan.FromSeconds(2);

    public async Task<TeacherTurn> GenerateTurnAsync(TeacherTurnRequest request, CancellationToken cancellationToken)
    {
        var history = request.History.Select(t => new LlmChatTurn(t.Role, t.Content)).ToList();
        var reply = await Deadline.RunAsync(
            "LlmServer POST /api/chat",
            _deadline,
            token => llmServer.ChatAsync(new LlmChatRequest(request.Message, history, request.Topic, request.Model, request.Provider), token),
            cancellationToken);
        if (string.IsNullOrWhiteSpace(reply?.Response))
        {
            throw new TeacherUnavailableException("LlmServer answered with an empty teacher turn.");
        }

        return new TeacherTurn(reply.Response, reply.Model ?? "", reply.Provider ?? "", reply.DurationMs);
    }
}
