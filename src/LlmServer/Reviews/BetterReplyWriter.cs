using System.Text.RegularExpressions;
using LlmServer.Teachers.Embedded;

namespace LlmServer.Reviews;

/// <summary>
/// Writes the reply a beginner could have given: it answers the teacher's last question in its own words
/// ("Do you like spicy food?" → "Yes, I like spicy food."), naming a thing of the topic where the question asks for one.
/// Deterministic per exchange, like the embedded teacher.
/// </summary>
public sealed partial class BetterReplyWriter(TopicLibrary library)
{
    private static readonly Dictionary<string, string> Past = new(StringComparer.Ordinal)
    {
        ["eat"] = "ate", ["have"] = "had", ["do"] = "did", ["go"] = "went", ["see"] = "saw", ["drink"] = "drank",
        ["make"] = "made", ["buy"] = "bought", ["read"] = "read", ["sleep"] = "slept", ["say"] = "said", ["get"] = "got",
        ["take"] = "took", ["come"] = "came", ["feel"] = "felt", ["meet"] = "met", ["hear"] = "heard", ["think"] = "thought",
    };

    public string Write(ReviewInput input)
    {
        var script = library.Resolve(input.Topic, []);
        var question = RuleVerifier.LastQuestion(input.TeacherMessage);
        var thing = Thing(script, question ?? input.TeacherMessage, input);
        if (question is null)
        {
            var word = LearnerWords.ContentWords(input.TeacherMessage).OrderByDescending(w => w.Length).FirstOrDefault();
            return word is null ? $"I like to talk about {script.Title}." : $"Yes, I think so too. I like {word}.";
        }

        var q = question.TrimEnd('?').Trim();
        var lower = q.ToLowerInvariant();
        if (lower.StartsWith("how are you", StringComparison.Ordinal))
        {
            return "I am fine, thank you. How are you?";
        }

        if (lower.Contains("your name", StringComparison.Ordinal))
        {
            return "My name is Sam. It is nice to meet you.";
        }

        if (lower.StartsWith("how old are you", StringComparison.Ordinal))
        {
            return "I am twenty years old.";
        }

        if (lower.StartsWith("where are you from", StringComparison.Ordinal))
        {
            return "I am from a small town near the sea.";
        }

        if (lower.StartsWith("how do you feel", StringComparison.Ordinal) || lower.StartsWith("how are you feeling", StringComparison.Ordinal))
        {
            return "I feel happy and calm today.";
        }

        if (WhatIsLikePattern().Match(q) is { Success: true } like)
        {
            return Sentence($"{Swap(like.Groups["subject"].Value)} is {thing}{Swap(like.Groups["rest"].Value)}");
        }

        if (FavoritePattern().Match(q) is { Success: true } favorite)
        {
            return Sentence($"My favorite {Swap(favorite.Groups["what"].Value)} is {thing}");
        }

        if (YesNoPattern().Match(q) is { Success: true } yesNo)
        {
            var verb = yesNo.Groups["verb"].Value.ToLowerInvariant();
            var rest = Swap(EverPattern().Replace(yesNo.Groups["rest"].Value, " "));
            // "A or B?" is not a yes/no question: the answer picks A.
            var alternative = rest.IndexOf(" or ", StringComparison.OrdinalIgnoreCase);
            var yes = alternative < 0 ? "Yes, " : string.Empty;
            rest = alternative < 0 ? rest : rest[..alternative];
            // "Do you work or do you study?" "I work." is an answer, but a beginner learns more from a full sentence.
            rest = rest.Contains(' ', StringComparison.Ordinal) ? rest : $"{rest} every day";
            var subject = yesNo.Groups["subject"].Value.ToLowerInvariant();
            return subject switch
            {
                "you" when verb is "do" or "does" => Sentence($"{yes}I {rest}"),
                "you" when verb == "did" => Sentence($"{yes}I {PastOf(rest)}"),
                "you" when verb == "are" => Sentence($"{yes}I am {rest}"),
                "you" when verb == "have" => Sentence($"{yes}I have {rest}"),
                "you" => Sentence($"{yes}I {verb} {rest}"),
                _ => Sentence($"{yes}{Swap(subject)} {(verb is "do" or "does" or "did" ? "" : verb + " ")}{rest}"),
            };
        }

        if (WhatDoYouPattern().Match(q) is { Success: true } whatDo)
        {
            var rest = Swap(whatDo.Groups["rest"].Value);
            // "What do you like to do on a hot day?" asks for an activity, not a thing of the topic.
            var activity = DoPattern().Match(rest);
            if (activity.Success)
            {
                return Sentence($"I {rest[..activity.Index]} go for a walk{rest[(activity.Index + activity.Length)..]}");
            }

            var verb = whatDo.Groups["aux"].Value.Equals("did", StringComparison.OrdinalIgnoreCase) ? PastOf(rest) : rest;
            var place = TrailingPhrase().Match(verb);
            return place.Success
                ? Sentence($"I {verb[..place.Index].TrimEnd()} {thing} {place.Value.Trim()}")
                : Sentence($"I {verb} {thing}");
        }

        if (lower.StartsWith("who ", StringComparison.Ordinal))
        {
            return Sentence($"My mother {Swap(q[4..])}");
        }

        if (lower.StartsWith("where ", StringComparison.Ordinal))
        {
            return Sentence($"I like the {thing} near my home");
        }

        return Sentence($"I think {thing} is nice. I like {script.Title}");
    }

    /// <summary>A thing of the topic to name in the answer: one the question's own words point at, else any of the topic's.</summary>
    private static string Thing(TopicScript script, string question, ReviewInput input)
    {
        var keys = script.Reactions.Keys.Where(key => key.Length > 2).ToList();
        if (keys.Count == 0)
        {
            return script.Title;
        }

        var asked = LearnerWords.ContentWords(question);
        // "What is your favorite fruit?" wants a fruit, not "fruit" itself.
        keys = keys.Where(key => !asked.Any(word => LearnerWords.IsFormOf(word, key) || LearnerWords.IsFormOf(key, word))).ToList();
        if (keys.Count == 0)
        {
            return script.Title;
        }

        var fitting = keys.Where(key => script.Reactions[key].Any(line => asked.Any(word =>
            LearnerWords.ContentWords(line).Any(w => LearnerWords.IsFormOf(w, word) || LearnerWords.IsFormOf(word, w))))).ToList();
        var pool = fitting.Count > 0 ? fitting : keys;
        return pool[(int)(StableHash.Of(input.TeacherMessage, input.Topic ?? string.Empty) % (ulong)pool.Count)];
    }

    private static string PastOf(string rest)
    {
        var space = rest.IndexOf(' ', StringComparison.Ordinal);
        var verb = space < 0 ? rest : rest[..space];
        var tail = space < 0 ? string.Empty : rest[space..];
        var past = Past.TryGetValue(verb.ToLowerInvariant(), out var irregular) ? irregular : verb.EndsWith('e') ? verb + "d" : verb + "ed";
        return past + tail;
    }

    /// <summary>The learner answers as "I": the teacher's "you"/"your" become "I"/"my".</summary>
    private static string Swap(string text) => SwapPattern().Replace(text, match => match.Value.ToLowerInvariant() switch
    {
        "you are" => "I am",
        "are you" => "am I",
        "you were" => "I was",
        "you" => "I",
        "your" => "my",
        "yours" => "mine",
        "yourself" => "myself",
        _ => match.Value,
    });

    private static string Sentence(string text)
    {
        var clean = WhitespacePattern().Replace(text, " ").Trim().TrimEnd('.', ',', ';', ':');
        return clean.Length == 0 ? "Yes." : char.ToUpperInvariant(clean[0]) + clean[1..] + ".";
    }

    [GeneratedRegex(@"^(?:what|which)(?: is| are)? your (?:favou?rite|best) (?<what>[\w ]+?)(?: of [\w ]+)?$", RegexOptions.IgnoreCase)]
    private static partial Regex FavoritePattern();

    [GeneratedRegex(@"^what is (?<subject>(?:the|your) [\w ]+?) like(?<rest>(?: \w+)*)$", RegexOptions.IgnoreCase)]
    private static partial Regex WhatIsLikePattern();

    [GeneratedRegex(@"(?<=\bto) do\b", RegexOptions.IgnoreCase)]
    private static partial Regex DoPattern();

    [GeneratedRegex(@"^(?<verb>do|does|did|are|is|can|could|have|has|would|will)\s+(?<subject>you|it|your \w+|they|we)\s+(?<rest>.+)$", RegexOptions.IgnoreCase)]
    private static partial Regex YesNoPattern();

    [GeneratedRegex(@"^what (?<aux>do|did|would|can) you (?<rest>.+)$", RegexOptions.IgnoreCase)]
    private static partial Regex WhatDoYouPattern();

    [GeneratedRegex(@"\s(?:for|at|in|on|with|when|today|every)\b.*$", RegexOptions.IgnoreCase)]
    private static partial Regex TrailingPhrase();

    [GeneratedRegex(@"\b(?:you are|are you|you were|you|your|yours|yourself)\b", RegexOptions.IgnoreCase)]
    private static partial Regex SwapPattern();

    [GeneratedRegex(@"^ever\s+|\s+ever\s+", RegexOptions.IgnoreCase)]
    private static partial Regex EverPattern();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhitespacePattern();
}
