namespace Cerebrum.Api.Infrastructure;

/// <summary>One observation: the message the learner received and what it answered.</summary>
public sealed record StoredExchange(
    long Sequence,
    string ExchangeId,
    string? ConversationId,
    string Message,
    string Response,
    string Phase,
    string Strategy,
    double Relevance,
    bool Verbatim);
