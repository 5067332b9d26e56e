using Middleware.Sessions;

namespace Middleware.Apis;

/// <summary>Turns a start request plus the configured defaults into a session config, or into errors keyed by field.</summary>
public static class StartTrainingValidator
{
    public static (SessionConfig? Config, Dictionary<string, string[]> Errors) Validate(StartTrainingRequest request, TrainingOptions defaults)
    {
        var errors = new Dictionary<string, string[]>();

        var maxExchanges = request.MaxExchanges ?? defaults.MaxExchanges;
        if (maxExchanges is < 1 or > TrainingLimits.MaxExchanges)
        {
            errors["max_exchanges"] = [$"max_exchanges must be between 1 and {TrainingLimits.MaxExchanges}; got {maxExchanges}."];
        }

        var delay = request.Delay ?? defaults.Delay;
        if (!double.IsFinite(delay) || delay is < 0 or > TrainingLimits.MaxDelaySeconds)
        {
            errors["delay"] = [$"delay must be between 0 and {TrainingLimits.MaxDelaySeconds} seconds; got {delay}."];
        }

        var interval = request.TopicSwitchInterval ?? defaults.TopicSwitchInterval;
        if (interval is < 1 or > int.MaxValue)
        {
            errors["topic_switch_interval"] = [$"topic_switch_interval must be at least 1; got {interval}."];
        }

        if (request.Topic is not null && !IsValidTopic(request.Topic))
        {
            errors["topic"] = [$"topic must be a non-empty string of at most {TrainingLimits.MaxTopicLength} characters."];
        }

        if (request.Topics is not null)
        {
            if (request.Topics.Count is 0 or > TrainingLimits.MaxTopics)
            {
                errors["topics"] = [$"topics must hold between 1 and {TrainingLimits.MaxTopics} topics."];
            }
            else if (request.Topics.Any(t => t is null || !IsValidTopic(t)))
            {
                errors["topics"] = [$"every topic must be a non-empty string of at most {TrainingLimits.MaxTopicLength} characters."];
            }
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        return (new SessionConfig((int)maxExchanges, delay, Topics(request, defaults), (int)interval), errors);
    }

    /// <summary>A lone <c>topic</c> keeps the session on it; with <c>topics</c> as well it goes first in the rotation.</summary>
    private static IReadOnlyList<string> Topics(StartTrainingRequest request, TrainingOptions defaults)
    {
        var topic = request.Topic?.Trim();
        var rotation = request.Topics?.Select(t => t!.Trim()).ToList();
        return (topic, rotation) switch
        {
            (not null, null) => [topic],
            (not null, not null) => [topic, .. rotation.Where(t => t != topic).Distinct()],
            (null, not null) => [.. rotation.Distinct()],
            _ => [.. defaults.EffectiveTopics],
        };
    }

    private static bool IsValidTopic(string topic) => !string.IsNullOrWhiteSpace(topic) && topic.Length <= TrainingLimits.MaxTopicLength;
}
