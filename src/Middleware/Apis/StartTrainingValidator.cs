using Middleware.Routing;
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

        var adaptive = request.Topics is AdaptiveTopics;
        if (request.Topics is not null && !adaptive)
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

        var teachers = ValidateTeachers(request.Teachers, errors);

        if (request.Routing is not null && !RoutingStrategies.All.Contains(request.Routing.Trim(), StringComparer.OrdinalIgnoreCase))
        {
            errors["routing"] = [$"routing must be one of {string.Join(", ", RoutingStrategies.All)}; got '{Shorten(request.Routing)}'."];
        }

        if (request.Curriculum is not null && !CurriculumModes.All.Contains(request.Curriculum.Trim(), StringComparer.OrdinalIgnoreCase))
        {
            errors["curriculum"] = [$"curriculum must be one of {string.Join(", ", CurriculumModes.All)}; got '{Shorten(request.Curriculum)}'."];
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var curriculum = adaptive ? CurriculumModes.Adaptive : request.Curriculum?.Trim().ToLowerInvariant();
        var topicsRequest = adaptive ? request with { Topics = null } : request;
        return (new SessionConfig((int)maxExchanges, delay, Topics(topicsRequest, defaults), (int)interval,
            teachers, request.Routing?.Trim().ToLowerInvariant(), curriculum), errors);
    }

    /// <summary>A session's own pool: 1 to <see cref="TrainingLimits.MaxTeachers"/> distinct <c>provider/model</c> names of LlmServer's providers.</summary>
    private static List<string>? ValidateTeachers(IReadOnlyList<string?>? teachers, Dictionary<string, string[]> errors)
    {
        if (teachers is null)
        {
            return null;
        }

        if (teachers.Count is 0 or > TrainingLimits.MaxTeachers)
        {
            errors["teachers"] = [$"teachers must name between 1 and {TrainingLimits.MaxTeachers} teachers ('provider/model', e.g. 'ollama/gemma3:1b'); an empty pool cannot teach."];
            return null;
        }

        var parsed = new List<string>();
        var problems = new List<string>();
        foreach (var text in teachers)
        {
            if (TeacherName.TryParse(text, out var teacher, out var error))
            {
                parsed.Add(teacher.ToString());
            }
            else
            {
                problems.Add(error);
            }
        }

        if (problems.Count == 0 && parsed.Distinct(StringComparer.OrdinalIgnoreCase).Count() != parsed.Count)
        {
            problems.Add("teachers names a teacher twice.");
        }

        if (problems.Count > 0)
        {
            errors["teachers"] = [.. problems];
            return null;
        }

        return parsed;
    }

    private static string Shorten(string text) => text.Length > 60 ? text[..60] + "…" : text;

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
