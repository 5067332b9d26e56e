using Cerebrum.Api.Infrastructure;

namespace Cerebrum.Api.Learning;

/// <summary>
/// Makes candidate replies (echo, retrieval, recombination, substitution, synthesis) and ranks them by relevance to
/// the message, fluency under the n-gram model, novelty, feedback and how much they repeat the learner's own recent
/// replies. The phase decides which candidates exist and how the scores are weighed (docs/learning.md).
/// </summary>
public sealed class ReplyComposer(LearnerMemory memory)
{
    private const int RetrievedResponses = 5;
    private const int BeamWidth = 6;
    private const int MaxSentenceTokens = 20;
    private const int MinSentenceTokens = 4;
    private const int SuccessorLimit = 30;
    private const double MessageWeight = 0.25;
    private const double ContextWeight = 0.5;
    private const double CorrectionWeight = 3.0;
    private const double MinCorrectionSimilarity = 0.5;

    public Reply Compose(string message, IReadOnlyList<string> recentMessages, IReadOnlyList<PairHit> hits, LearnerPhase phase)
    {
        var tokens = Tokenizer.Tokenize(message);
        var content = Tokenizer.ContentWords(tokens).Distinct().ToList();
        var profile = Profile(content, recentMessages, hits);
        var messageFingerprint = Tokenizer.Fingerprint(tokens);
        var weights = Weights.For(phase);

        var candidates = new List<(List<string> Tokens, string Strategy)>();
        var retrieved = RetrievedSentences(hits, phase);
        switch (phase)
        {
            case LearnerPhase.Observing:
                if (IsConfident(content, hits))
                {
                    candidates.AddRange(retrieved.Take(1).Select(s => (s, ReplyStrategies.Retrieval)));
                }

                break;
            case LearnerPhase.Synthesizing:
                candidates.AddRange(retrieved.Select(s => (s, ReplyStrategies.Retrieval)));
                candidates.AddRange(Recombine(retrieved).Select(s => (s, ReplyStrategies.Recombination)));
                break;
            default:
                candidates.AddRange(retrieved.Select(s => (s, ReplyStrategies.Retrieval)));
                candidates.AddRange(Recombine(retrieved).Select(s => (s, ReplyStrategies.Recombination)));
                candidates.AddRange(Substitute(retrieved).Select(s => (s, ReplyStrategies.Substitution)));
                candidates.AddRange(Synthesise(profile, retrieved).Select(s => (s, ReplyStrategies.Synthesis)));
                break;
        }

        var ranked = candidates
            .Select(c => (c.Tokens, c.Strategy, Fingerprint: Tokenizer.Fingerprint(c.Tokens)))
            .Where(c => c.Fingerprint != messageFingerprint)
            .DistinctBy(c => c.Fingerprint)
            .Select(c => Rank(c.Tokens, c.Strategy, profile, weights))
            .Where(r => r.Fluency >= weights.MinFluency)
            .Concat(Corrected(tokens, messageFingerprint, profile, weights))
            .OrderByDescending(r => r.Score)
            .ToList();

        return ranked.Count > 0 ? ranked[0] : Echo(content, tokens, profile, weights);
    }

    /// <summary>Replies a teacher gave as corrections to messages like this one. They are supervised, so they outrank
    /// whatever was merely observed: a bonus of <see cref="CorrectionWeight"/> × similarity on top of the usual
    /// score, and no fluency floor (a correction may use words the model has not heard yet).</summary>
    private IEnumerable<Reply> Corrected(List<string> tokens, ulong messageFingerprint, IReadOnlyDictionary<string, double> profile, Weights weights)
    {
        foreach (var (correction, similarity) in memory.Feedback.CorrectionsFor(tokens, memory.TermWeight))
        {
            if (similarity < MinCorrectionSimilarity || Tokenizer.Fingerprint(correction) == messageFingerprint)
            {
                continue;
            }

            var reply = Rank(correction, ReplyStrategies.Correction, profile, weights);
            yield return reply with { Score = reply.Score + CorrectionWeight * similarity };
        }
    }

    /// <summary>What a good reply to this message is about: content words of responses that followed similar stimuli,
    /// of the conversation's recent messages and of the message itself, each weighted by squared inverse document
    /// frequency.</summary>
    private Dictionary<string, double> Profile(List<string> content, IReadOnlyList<string> recentMessages, IReadOnlyList<PairHit> hits)
    {
        var profile = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var word in recentMessages.SelectMany(m => Tokenizer.ContentWords(Tokenizer.Tokenize(m))).Distinct())
        {
            var idf = memory.InverseDocumentFrequency(word);
            profile[word] = ContextWeight * idf * idf;
        }

        // The message's own words count a little; what answers to similar stimuli contained counts most, so a reply
        // is relevant by saying something that fits, not by repeating the message.
        foreach (var word in content)
        {
            var idf = memory.InverseDocumentFrequency(word);
            profile[word] = profile.GetValueOrDefault(word) + MessageWeight * idf * idf;
        }

        var best = hits.Count > 0 ? hits.Max(h => h.Bm25) : 0;
        foreach (var hit in hits.Take(RetrievedResponses))
        {
            var weight = best > 0 ? hit.Bm25 / best : 0;
            foreach (var word in Tokenizer.ContentWords(Tokenizer.Tokenize(hit.Response)).Distinct())
            {
                // Squared IDF: words every response uses (praise, "question", "word") say little about the topic.
                var idf = memory.InverseDocumentFrequency(word);
                profile[word] = profile.GetValueOrDefault(word) + weight * idf * idf;
            }
        }

        return profile;
    }

    /// <summary>How much of what the candidate says fits: the mean, over its content words, of each word's profile
    /// weight relative to the strongest profile word, in [0, 1].</summary>
    public static double Relevance(IReadOnlyList<string> tokens, IReadOnlyDictionary<string, double> profile)
    {
        var words = Tokenizer.ContentWords(tokens).Distinct().ToList();
        if (words.Count == 0 || profile.Count == 0)
        {
            return 0;
        }

        var strongest = profile.Values.Max();
        return strongest <= 0 ? 0 : words.Average(w => Math.Min(1, profile.GetValueOrDefault(w) / strongest));
    }

    private Reply Rank(IReadOnlyList<string> tokens, string strategy, IReadOnlyDictionary<string, double> profile, Weights weights)
    {
        var relevance = Relevance(tokens, profile);
        var fluency = Fluency(tokens);
        var novelty = memory.IsObservedSentence(tokens) ? 0.0 : 1.0;
        var feedback = memory.FeedbackFor(tokens);
        var repetition = memory.SelfRepetition(tokens);
        var score = weights.Relevance * relevance + weights.Fluency * fluency + weights.Novelty * novelty
            + weights.Feedback * feedback - weights.Repetition * repetition
            + (strategy == ReplyStrategies.Synthesis ? weights.SynthesisBonus : 0);
        return new Reply(tokens, strategy, relevance, fluency, novelty, feedback, score);
    }

    /// <summary>Geometric-mean token probability mapped to [0, 1]: 1 + mean ln P / 8 (mean ln P of −8, a perplexity
    /// near 3000, scores 0).</summary>
    private double Fluency(IReadOnlyList<string> tokens)
    {
        var ids = tokens.Select(memory.Vocabulary.Lookup).ToList();
        var (logProbability, count) = memory.Model.Score(ids);
        return Math.Clamp(1 + logProbability / count / 8, 0, 1);
    }

    /// <summary>The observing learner's reply: the message's rarest content words handed back as a question.</summary>
    private Reply Echo(List<string> content, List<string> tokens, IReadOnlyDictionary<string, double> profile, Weights weights)
    {
        var keep = content.OrderByDescending(memory.InverseDocumentFrequency).Take(3).ToHashSet(StringComparer.Ordinal);
        var words = tokens.Where(keep.Contains).Distinct().ToList();
        if (words.Count == 0)
        {
            words = tokens.Where(t => !Tokenizer.IsPunctuation(t)).Take(3).ToList();
        }

        if (words.Count == 0)
        {
            words = ["hmm"];
        }

        words.Add("?");
        return Rank(words, ReplyStrategies.Echo, profile, weights with { MinFluency = 0 });
    }

    private static bool IsConfident(List<string> content, IReadOnlyList<PairHit> hits)
    {
        if (hits.Count == 0 || content.Count == 0)
        {
            return false;
        }

        var stimulus = Tokenizer.Tokenize(hits[0].Stimulus).ToHashSet(StringComparer.Ordinal);
        var matched = content.Count(stimulus.Contains);
        return matched >= 2 && matched >= 0.5 * content.Count;
    }

    private static List<List<string>> RetrievedSentences(IReadOnlyList<PairHit> hits, LearnerPhase phase)
    {
        var perResponse = phase == LearnerPhase.Observing ? 1 : 3;
        return hits.Take(RetrievedResponses)
            .SelectMany(h => Tokenizer.Sentences(h.Response).Take(perResponse))
            .Where(s => s.Count >= 2)
            .ToList();
    }

    /// <summary>Light recombination: the start of one retrieved sentence joined to the end of another at a content
    /// word they share.</summary>
    private static IEnumerable<List<string>> Recombine(List<List<string>> sentences)
    {
        var made = 0;
        for (var a = 0; a < sentences.Count && made < 20; a++)
        {
            for (var b = 0; b < sentences.Count && made < 20; b++)
            {
                if (a == b)
                {
                    continue;
                }

                var first = sentences[a];
                var second = sentences[b];
                for (var i = 1; i < first.Count - 1; i++)
                {
                    if (!Tokenizer.IsContentWord(first[i]))
                    {
                        continue;
                    }

                    var j = second.IndexOf(first[i]);
                    if (j <= 0 || j >= second.Count - 1 || (i == j && first.Take(i).SequenceEqual(second.Take(j))))
                    {
                        continue;
                    }

                    var joined = first.Take(i).Concat(second.Skip(j)).ToList();
                    if (joined.Count is >= MinSentenceTokens and <= MaxSentenceTokens * 2)
                    {
                        made++;
                        yield return joined;
                    }

                    break;
                }
            }
        }
    }

    /// <summary>Distributional substitution: a content word of a retrieved sentence replaced by a word the model
    /// expects in the same place (likely after the left context and before the right word), e.g. "Do you like sunny
    /// days?" → "Do you like rainy days?". The top three substitutes per position are kept.</summary>
    private IEnumerable<List<string>> Substitute(List<List<string>> sentences)
    {
        var model = memory.Model;
        foreach (var sentence in sentences.Take(6).Where(s => s.Count <= MaxSentenceTokens))
        {
            var ids = sentence.Select(memory.Vocabulary.Lookup).ToList();
            for (var i = 0; i < ids.Count; i++)
            {
                if (!Tokenizer.IsContentWord(sentence[i]))
                {
                    continue;
                }

                var left = ids.Take(i).ToArray();
                var right = i + 1 < ids.Count ? ids[i + 1] : Vocabulary.SentenceEnd;
                var options = new List<(int Word, double Score)>();
                foreach (var word in model.Successors(left, SuccessorLimit))
                {
                    if (word == ids[i] || word < 3 || !Tokenizer.IsContentWord(memory.Vocabulary[word]))
                    {
                        continue;
                    }

                    var withWord = left.Append(word).ToArray();
                    options.Add((word, Math.Log(model.Probability(left, word)) + Math.Log(model.Probability(withWord, right))));
                }

                foreach (var (word, _) in options.OrderByDescending(o => o.Score).Take(3))
                {
                    var substituted = sentence.ToList();
                    substituted[i] = memory.Vocabulary[word];
                    yield return substituted;
                }
            }
        }
    }

    /// <summary>New sentences from the n-gram model: beam search whose score is the model's log-probability plus a
    /// bonus for each profile word used, started fresh and from the opening words of retrieved sentences.</summary>
    private List<List<string>> Synthesise(Dictionary<string, double> profile, List<List<string>> retrieved)
    {
        var maxWeight = profile.Count == 0 ? 1 : profile.Values.Max();
        var bonus = new Dictionary<int, double>();
        foreach (var (word, weight) in profile)
        {
            var id = memory.Vocabulary.Lookup(word);
            if (id != Vocabulary.Unknown)
            {
                bonus[id] = 1.5 * weight / maxWeight;
            }
        }

        var results = new List<List<string>>();
        var prefixes = new List<List<int>> { new() };
        prefixes.AddRange(retrieved.Take(3).Where(s => s.Count > 3).Select(s => s.Take(2).Select(memory.Vocabulary.Lookup).ToList()));
        foreach (var prefix in prefixes)
        {
            foreach (var ids in Beam(prefix, bonus))
            {
                results.Add(ids.Select(id => memory.Vocabulary[id]).ToList());
            }
        }

        return results;
    }

    private IEnumerable<List<int>> Beam(List<int> prefix, Dictionary<int, double> bonus)
    {
        var model = memory.Model;
        var beam = new List<Hypothesis> { new(prefix, 0, 0, [.. prefix.Where(bonus.ContainsKey)]) };
        var finished = new List<Hypothesis>();
        for (var step = prefix.Count; step < MaxSentenceTokens && beam.Count > 0; step++)
        {
            var next = new List<Hypothesis>();
            foreach (var hypothesis in beam)
            {
                var context = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(hypothesis.Ids);
                foreach (var word in model.Successors(context, SuccessorLimit))
                {
                    if (word == Vocabulary.SentenceEnd && hypothesis.Ids.Count < MinSentenceTokens)
                    {
                        continue;
                    }

                    if (RepeatsTrigram(hypothesis.Ids, word))
                    {
                        continue;
                    }

                    var logProbability = hypothesis.LogProbability + Math.Log(model.Probability(context, word));
                    var reward = hypothesis.Reward;
                    HashSet<int> used = hypothesis.Used;
                    if (bonus.TryGetValue(word, out var b) && !used.Contains(word) && used.Count < 2)
                    {
                        reward += b;
                        used = [.. used, word];
                    }

                    if (word == Vocabulary.SentenceEnd)
                    {
                        finished.Add(hypothesis with { LogProbability = logProbability, Reward = reward });
                    }
                    else
                    {
                        next.Add(new Hypothesis([.. hypothesis.Ids, word], logProbability, reward, used));
                    }
                }
            }

            beam = next.OrderByDescending(h => h.LogProbability + h.Reward).Take(BeamWidth).ToList();
        }

        return finished
            .OrderByDescending(h => h.LogProbability / (h.Ids.Count + 1) + h.Reward / 2)
            .Take(3)
            .Select(h => h.Ids);
    }

    private static bool RepeatsTrigram(List<int> ids, int word)
    {
        if (ids.Count < 3)
        {
            return false;
        }

        var a = ids[^2];
        var b = ids[^1];
        for (var i = 0; i + 2 < ids.Count; i++)
        {
            if (ids[i] == a && ids[i + 1] == b && ids[i + 2] == word)
            {
                return true;
            }
        }

        return false;
    }

    private sealed record Hypothesis(List<int> Ids, double LogProbability, double Reward, HashSet<int> Used);

    /// <summary>How each phase weighs the scores (see docs/learning.md).</summary>
    private sealed record Weights(double Relevance, double Fluency, double Novelty, double Feedback, double Repetition, double SynthesisBonus, double MinFluency)
    {
        public static Weights For(LearnerPhase phase) => phase switch
        {
            LearnerPhase.Observing => new(1.0, 0.2, 0.0, 1.0, 0.3, 0.0, 0.0),
            LearnerPhase.Synthesizing => new(0.6, 0.3, 0.15, 1.0, 0.5, 0.0, 0.0),
            LearnerPhase.Developing => new(0.6, 0.3, 0.25, 1.0, 0.5, 0.0, 0.5),
            _ => new(0.7, 0.35, 0.3, 1.0, 0.5, 0.05, 0.55),
        };
    }
}
