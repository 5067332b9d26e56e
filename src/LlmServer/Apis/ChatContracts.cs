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

/// <summary><c>GET /api/models</c>: what this server can serve, which provider answers now, in which order they are tried.</summary>
public sealed record ModelsReply(string? Active, IReadOnlyList<string> Chain, IReadOnlyList<ProviderReply> Providers, RoleReply? Reviewer = null);

/// <summary>Another role's chain (the reviewer's, <c>Reviewer:Chain</c>) and which of its providers answers now.</summary>
public sealed record RoleReply(string? Active, IReadOnlyList<string> Chain);

public sealed record ProviderReply(string Name, bool Configured, bool Reachable, IReadOnlyList<string> Models, string? Detail);
