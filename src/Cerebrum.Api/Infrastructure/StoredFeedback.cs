namespace Cerebrum.Api.Infrastructure;

/// <summary>
/// The current feedback on one exchange: a score in [0, 1] (approved = 1, denied = 0) and/or the reply the learner
/// should have given. <paramref name="Order"/> is the place of the exchange's first rating; a later rating replaces
/// the values but keeps the place.
/// </summary>
public sealed record StoredFeedback(
    long Order,
    long ExchangeSequence,
    string ExchangeId,
    string Message,
    string Response,
    double? Score,
    string? Correction);
