namespace LlmServer.Teachers.Embedded;

/// <summary>
/// An offline teacher that holds a simple conversation about a topic from the scripts in <see cref="TopicLibrary"/>.
/// It keeps no state: everything it knows about the conversation is the history it is handed. Each turn reacts to the
/// learner's words, sometimes adds a simple fact, and asks the next question of the topic, skipping every line it has
/// already said in that history. The same (topic, history, message) always gives the same turn.
/// </summary>
public sealed class EmbeddedTeacher(TopicLibrary library)
{
    public const string ModelName = "bridge-embedded-teacher-v1";

    public string Reply(string? topic, IReadOnlyList<TeacherTurn> history, string? message)
    {
        var learnerLines = history.Where(turn => turn.IsLearner).Select(turn => turn.Content).Append(message ?? string.Empty);
        var script = library.Resolve(topic, learnerLines);
        var said = history.Where(turn => turn.IsTeacher).Select(turn => turn.Content).ToList();
        var turnNumber = said.Count;
        var pick = new LinePicker(said, StableHash.Of(script.Name, script.Title, turnNumber.ToString(), message ?? string.Empty, said.LastOrDefault() ?? string.Empty));

        var parts = new List<string>();
        // An opening line such as "Hello! Let's talk about food." names the topic; the teacher greets rather than
        // reacting to the topic's own name as if the learner had brought it up.
        var ignored = turnNumber == 0 ? LearnerWords.AllWords($"{topic} {script.Title} talk").ToHashSet() : [];
        var reaction = React(script, message, pick, ignored);
        if (reaction is not null)
        {
            parts.Add(reaction);
        }

        var learnerAsked = message?.TrimEnd().EndsWith('?') == true;
        if (turnNumber == 0)
        {
            parts.Add(pick.Next(script.Openers, lookahead: script.Openers.Count) ?? $"Let's talk about {script.Title}.");
        }
        else if (learnerAsked)
        {
            // The acknowledgement answers the question's form first; the reaction and a fact then answer its content.
            var acknowledgement = pick.Any(library.Common.QuestionAcknowledgements);
            if (acknowledgement is not null)
            {
                parts.Insert(0, acknowledgement);
            }

            AddIfAny(parts, pick.Next(script.Facts, lookahead: 2));
        }
        else if (reaction is null)
        {
            AddIfAny(parts, pick.Any(library.Common.Encouragements));
        }
        else if (!script.Facts.Any(fact => said[^1].Contains(fact, StringComparison.OrdinalIgnoreCase)))
        {
            // A fact every other turn: enough new words to pick up, and still short turns.
            AddIfAny(parts, pick.Next(script.Facts, lookahead: 2));
        }
        else if (!library.Common.Praise.Any(praise => said[^1].Contains(praise, StringComparison.OrdinalIgnoreCase)))
        {
            AddIfAny(parts, pick.Any(library.Common.Praise));
        }

        AddIfAny(parts, pick.Next(script.Questions, lookahead: 2));

        // Never leave the learner with nothing, whatever the scripts hold.
        return parts.Count > 0 ? string.Join(' ', parts) : $"Let's talk about {script.Title}. What do you like about it?";
    }

    /// <summary>A line about a word the learner used: the topic's own reaction first, then a common one, then an echo.</summary>
    private string? React(TopicScript script, string? message, LinePicker pick, IReadOnlyCollection<string> ignored)
    {
        var words = LearnerWords.AllWords(message).Where(word => !ignored.Contains(word)).ToList();
        foreach (var word in words)
        {
            var line = ReactionFor(script.Reactions, word, pick);
            if (line is not null)
            {
                return line;
            }
        }

        foreach (var word in words)
        {
            var line = ReactionFor(library.Common.Reactions, word, pick);
            if (line is not null)
            {
                return line;
            }
        }

        var contentWords = LearnerWords.ContentWords(message).Where(word => !ignored.Contains(word)).ToList();
        if (contentWords.Count == 0)
        {
            return null;
        }

        // Echo the longest word: it is the most likely to carry the learner's meaning.
        var echoed = contentWords.OrderByDescending(word => word.Length).ThenBy(word => word, StringComparer.Ordinal).First();
        return pick.Any(library.Common.Echoes.Select(template => template.Replace("{word}", echoed, StringComparison.Ordinal)).ToList());
    }

    private static string? ReactionFor(IReadOnlyDictionary<string, IReadOnlyList<string>> reactions, string word, LinePicker pick)
    {
        foreach (var (key, lines) in reactions)
        {
            if (LearnerWords.IsFormOf(word, key))
            {
                var line = pick.Unused(lines);
                if (line is not null)
                {
                    return line;
                }
            }
        }

        return null;
    }

    private static void AddIfAny(List<string> parts, string? line)
    {
        if (!string.IsNullOrWhiteSpace(line))
        {
            parts.Add(line);
        }
    }

    /// <summary>Chooses lines deterministically from a seed, preferring lines the teacher has not said yet.</summary>
    private sealed class LinePicker(IReadOnlyList<string> said, ulong seed)
    {
        private readonly List<string> _chosen = [];
        private ulong _state = seed == 0 ? 0x9E3779B97F4A7C15 : seed;

        /// <summary>The next unsaid line in script order after the furthest one in the history, chosen among the next
        /// <paramref name="lookahead"/> unsaid ones; once all are said, any line not said in the last three turns.</summary>
        /// <remarks>Starting after the furthest line said, not at the top, keeps the conversation moving through the
        /// topic when callers send only the last few turns: the teacher picks up where the window shows it was.</remarks>
        public string? Next(IReadOnlyList<string> lines, int lookahead)
        {
            var furthest = -1;
            for (var i = 0; i < lines.Count; i++)
            {
                if (said.Any(turn => Contains(turn, lines[i])))
                {
                    furthest = i;
                }
            }

            var fresh = Enumerable.Range(1, lines.Count)
                .Select(offset => lines[(furthest + offset) % lines.Count])
                .Where(IsFresh)
                .Take(Math.Max(1, lookahead))
                .ToList();
            if (fresh.Count > 0)
            {
                return Take(fresh[Index(fresh.Count)]);
            }

            var recent = said.TakeLast(3).ToList();
            var allowed = lines.Where(line => !_chosen.Contains(line) && !recent.Any(turn => Contains(turn, line))).ToList();
            return allowed.Count > 0 ? Take(allowed[Index(allowed.Count)]) : null;
        }

        /// <summary>Any unsaid line, or null when every one has been said.</summary>
        public string? Unused(IReadOnlyList<string> lines)
        {
            var fresh = lines.Where(IsFresh).ToList();
            return fresh.Count > 0 ? Take(fresh[Index(fresh.Count)]) : null;
        }

        /// <summary>Any line, unsaid ones first, but never one said in the last turn.</summary>
        public string? Any(IReadOnlyList<string> lines) => Unused(lines) ?? Next(lines, lookahead: lines.Count);

        private bool IsFresh(string line) => !_chosen.Contains(line) && !said.Any(turn => Contains(turn, line));

        private static bool Contains(string turn, string line) => turn.Contains(line, StringComparison.OrdinalIgnoreCase);

        private string Take(string line)
        {
            _chosen.Add(line);
            return line;
        }

        private int Index(int count)
        {
            // xorshift64: cheap, and stable across runtimes, unlike System.Random's seeded sequence guarantees.
            _state ^= _state << 13;
            _state ^= _state >> 7;
            _state ^= _state << 17;
            return (int)(_state % (ulong)count);
        }
    }
}
