using Microsoft.Extensions.Options;
using Middleware.Reviews;
using Middleware.Sessions;

namespace Middleware.Routing;

/// <summary>
/// Chooses each exchange's topic. <c>rotation</c>: the session's topics in turn (<see cref="SessionConfig.TopicFor"/>).
/// <c>adaptive</c>: a topic is kept for <c>topic_switch_interval</c> exchanges; at each switch the next one is the
/// topic whose latest <c>CurriculumWindow</c> learner review scores are lowest (a topic not yet taught comes first),
/// or with probability <c>CurriculumExploration</c> any topic, so the learner is not drilled on one topic only.
/// </summary>
public sealed class SessionCurriculum(SessionPlans plans, ReviewStore reviews, IOptions<RoutingOptions> options)
{
    public async Task<string> TopicForAsync(SessionRecord session, IReadOnlyList<ExchangeRecord> exchanges, int sequence, CancellationToken cancellationToken)
    {
        var config = session.Config;
        var plan = await plans.GetAsync(session.SessionId, cancellationToken);
        if (plan.Curriculum != CurriculumModes.Adaptive || config.Topics.Count == 1)
        {
            return config.TopicFor(sequence);
        }

        if ((sequence - 1) % config.TopicSwitchInterval != 0 && exchanges.Count > 0)
        {
            return exchanges[^1].Topic;
        }

        var random = ThompsonSampler.RandomFor(session.SessionId, sequence, 0);
        if (random.NextDouble() < options.Value.CurriculumExploration)
        {
            return config.Topics[random.Next(config.Topics.Count)];
        }

        var scores = TopicScores(config.Topics, await reviews.ListAsync(session.SessionId, cancellationToken), options.Value.CurriculumWindow);
        return config.Topics.MinBy(topic => scores.TryGetValue(topic, out var mean) ? mean : double.NegativeInfinity)!;
    }

    /// <summary>The mean of each topic's latest review scores (a person's verdict counts over the teacher's).</summary>
    public static Dictionary<string, double> TopicScores(IReadOnlyList<string> topics, IReadOnlyList<ReviewRecord> reviews, int window) =>
        topics
            .Select(topic => (topic, scores: reviews.Where(r => r.Topic == topic && r.EffectiveScore is not null)
                .OrderBy(r => r.Sequence).TakeLast(window).Select(r => r.EffectiveScore!.Value).ToList()))
            .Where(t => t.scores.Count > 0)
            .ToDictionary(t => t.topic, t => t.scores.Average());
}
