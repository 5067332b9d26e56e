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

/// <summary>A stimulus→response pair the learner can retrieve: <paramref name="Kind"/> says where it came from.</summary>
public sealed record NewPair(string Stimulus, string Response, string Kind);

public sealed record PairHit(long Id, string Stimulus, string Response, double Bm25);
