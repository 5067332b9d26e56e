using LlmServer.Teachers;

namespace LlmServer.Apis;

/// <summary><c>POST /api/chat</c> body. Everything is nullable so that a missing field is a validation message, not a 500.</summary>
public sealed record ChatRequest(string? Message, IReadOnlyList<ChatTurnDto?>? History, string? Topic, string? Model, string? Provider)
{
    /// <summary>The request as the chain takes it; only for a request <see cref="ChatRequestValidator"/> found no fault in.</summary>
    public TeacherRequest ToTeacherRequest() => new(
        Message!,
        (History ?? []).Select(turn => new TeacherTurn(turn!.Role!.ToLowerInvariant(), turn.Content!)).ToList(),
        string.IsNullOrWhiteSpace(Topic) ? null : Topic.Trim(),
        Model?.Trim(),
        Provider);
}

public sealed record ChatTurnDto(string? Role, string? Content);

public sealed record ChatReply(string Response, string Model, string Provider, long DurationMs);

/// <summary><c>GET /api/models</c>: what this server can serve, which provider answers now, in which order they are tried;
/// <paramref name="Roles"/> says the same per role (the teacher's chain, the reviewer's chain), since each has its own.</summary>
public sealed record ModelsReply(string? Active, IReadOnlyList<string> Chain, IReadOnlyList<ProviderReply> Providers, RoleReply? Reviewer = null, RolesReply? Roles = null);

/// <summary>Another role's chain (the reviewer's, <c>Reviewer:Chain</c>) and which of its providers answers now.</summary>
public sealed record RoleReply(string? Active, IReadOnlyList<string> Chain);

/// <summary>Who serves each role. A role's <c>active</c> is the first provider of its chain that answers now.</summary>
public sealed record RolesReply(RoleServing Teacher, RoleServing Reviewer);

/// <param name="Served">What answers for the active provider: <c>provider/model</c>.</param>
/// <param name="Fallback">What answers when none of the chain can (the reviewer falls back to its rules).</param>
public sealed record RoleServing(string? Active, string? Served, IReadOnlyList<string> Chain, string? Fallback);

public sealed record ProviderReply(string Name, bool Configured, bool Reachable, IReadOnlyList<string> Models, string? Detail);
