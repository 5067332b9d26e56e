using System.Reflection;
using System.Text.Json;

namespace LlmServer.Teachers.Embedded;

/// <summary>
/// The embedded teacher's topics, read once from the JSON files compiled into this assembly, and the rules that map a
/// requested topic ("food and cooking", "the weather") onto one of them.
/// </summary>
public sealed class TopicLibrary
{
    public const string GeneralName = "general";
    public const string DefaultName = "greetings";
    private const string CommonName = "_common";
    private const string ResourcePrefix = "LlmServer.Teachers.Embedded.Topics.";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    private readonly TopicScript _general;

    public TopicLibrary()
    {
        var assembly = typeof(TopicLibrary).Assembly;
        var resources = assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal) && name.EndsWith(".json", StringComparison.Ordinal))
            .ToDictionary(name => name[ResourcePrefix.Length..^".json".Length], name => name);

        Common = Read<CommonScript>(assembly, resources[CommonName]);
        _general = Read<TopicScript>(assembly, resources[GeneralName]);
        Topics = resources
            .Where(pair => pair.Key is not CommonName and not GeneralName)
            .Select(pair => Read<TopicScript>(assembly, pair.Value))
            .OrderBy(topic => topic.Name, StringComparer.Ordinal)
            .ToList();
    }

    public CommonScript Common { get; }

    /// <summary>The topics that have their own script (the general one, for anything else, is not listed).</summary>
    public IReadOnlyList<TopicScript> Topics { get; }

    /// <summary>
    /// The script for a requested topic: the one whose match words appear in it, else the general script speaking about the
    /// requested topic by name. With no topic, the learner's own words choose, and small talk is the default.
    /// </summary>
    public TopicScript Resolve(string? requestedTopic, IEnumerable<string> learnerLines)
    {
        if (!string.IsNullOrWhiteSpace(requestedTopic))
        {
            var topic = requestedTopic.Trim();
            return BestMatch(LearnerWords.AllWords(topic)) ?? _general.ForTopic(topic.ToLowerInvariant());
        }

        var words = learnerLines.SelectMany(LearnerWords.ContentWords).ToList();
        return BestMatch(words) ?? Topics.First(topic => topic.Name == DefaultName);
    }

    private TopicScript? BestMatch(IReadOnlyList<string> words)
    {
        if (words.Count == 0)
        {
            return null;
        }

        var best = Topics
            .Select(topic => (topic, score: words.Count(word =>
                word.Equals(topic.Name, StringComparison.OrdinalIgnoreCase)
                || topic.Match.Any(key => LearnerWords.IsFormOf(word, key)))))
            .Where(candidate => candidate.score > 0)
            .OrderByDescending(candidate => candidate.score)
            .ThenBy(candidate => candidate.topic.Name, StringComparer.Ordinal)
            .FirstOrDefault();
        return best.topic;
    }

    private static T Read<T>(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The embedded teacher's resource '{resource}' is missing from the build.");
        return JsonSerializer.Deserialize<T>(stream, Json)
            ?? throw new InvalidOperationException($"The embedded teacher's resource '{resource}' is empty.");
    }
}
