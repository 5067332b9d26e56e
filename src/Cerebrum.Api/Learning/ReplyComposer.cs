namespace Cerebrum.Api.Learning;

/// <summary>
/// Answers a message from the stimulus→response pairs it has observed. Retrieval finds the pairs whose stimulus (and
/// the turn before it) is most like the message (and the turn before it); their responses are the candidates, never one
/// that copies the message or an earlier turn of the conversation. Candidates are ranked by minimum Bayes risk: a
/// reply that agrees (unigram F1) with what the other similar stimuli were answered with is the likeliest to fit, so
/// score = similarity + 3 · agreement + 4 · expected F1 from the word associations of all pairs + 0.5 · overlap with
/// the message − 0.2 · times the reply was already given − 0.3 · share of its bigrams used in recent replies
/// + feedback. Corrections for similar messages join the pool with 1.5 × their similarity, and one given for (nearly)
/// the same message wins outright. The phase decides which candidates exist (docs/learning.md).
/// </summary>
public sealed class ReplyComposer(LearnerMemory memory)
{
    private const int SearchLimit = 100;
    private const int CandidateLimit = 50;
    private const double ContextWeight = 0.3;
    private const double AgreementWeight = 3.0;
    private const double MessageOverlapWeight = 0.5;
    private const double UseWeight = 0.2;
    private const double AssociationWeight = 4.0;
    private const double RecentBigramWeight = 0.3;
    private const double FeedbackWeight = 1.0;
    private const double CorrectionWeight = 3.0;
    private const double MinCorrectionSimilarity = 0.5;
    private const double OverrideSimilarity = 0.95;
    private const int CorrectionLimit = 5;
    private const double CorrectionBoost = 1.5;
    private const double ConfidentSimilarity = 0.6;
    private const int BeamWidth = 6;
    private const int MaxSentenceTokens = 20;
    private const int MinSentenceTokens = 4;
    private const int SuccessorLimit = 30;

    public Reply Compose(string message, string? conversationId, LearnerPhase phase)
    {
        var tokens = Tokenizer.Tokenize(message);
        var messageWords = memory.Bag(tokens);
        var messageIds = memory.MessageIds(tokens);
        var hits = memory.Pairs.Search(messageIds, memory.PreviousTurn(conversationId), ContextWeight, SearchLimit);

        var candidates = new List<Candidate>();
        var seen = new HashSet<ulong>();
        foreach (var (pair, similarity) in hits)
        {
            if (candidates.Count >= CandidateLimit)
            {
                break;
            }

            if (pair.ResponseWords.Count == 0 || memory.CopiesConversation(conversationId, pair.ResponseWords, messageWords)
                || !seen.Add(pair.ResponseWords.Fingerprint))
            {
                continue;
            }

            candidates.Add(new Candidate(Tokenizer.Tokenize(pair.Response), pair.ResponseWords, similarity, ReplyStrategies.Retrieval, pair.Response));
        }

        if (phase == LearnerPhase.Observing && (candidates.Count == 0 || candidates[0].Similarity < ConfidentSimilarity))
        {
            // Too little heard to trust a match that is not close: it hands the message's rarest words back.
            candidates.Clear();
        }
        else if (phase == LearnerPhase.Synthesizing)
        {
            var sentences = candidates.Take(5).Select(c => c.Tokens).ToList();
            foreach (var joined in Recombine(sentences))
            {
                var words = memory.Bag(joined);
                if (!memory.CopiesConversation(conversationId, words, messageWords) && seen.Add(words.Fingerprint))
                {
                    candidates.Add(new Candidate(joined, words, candidates[0].Similarity / 2, ReplyStrategies.Recombination));
                }
            }
        }

        // Corrections for similar messages join the pool with a boosted similarity: supervised, they count for more
        // than what was merely observed, and they take part in the agreement like any other answer.
        var corrections = new List<(Candidate Candidate, double Similarity)>();
        foreach (var (correction, text, similarity) in memory.Feedback.CorrectionsFor(tokens, memory.TermWeight)
                     .OrderByDescending(c => c.Similarity).Take(CorrectionLimit))
        {
            var words = memory.Bag(correction);
            if (similarity >= MinCorrectionSimilarity && words.Count > 0 && !WordBag.IsCopy(words, messageWords))
            {
                var candidate = new Candidate(correction, words, CorrectionBoost * similarity, ReplyStrategies.Correction, text);
                var fingerprint = words.Fingerprint;
                candidates.RemoveAll(c => c.Words.Fingerprint == fingerprint);
                candidates.Add(candidate);
                corrections.Add((candidate, similarity));
            }
        }

        var expectation = memory.Associations.Expect(memory.WeightedWords(messageIds));
        var ranked = Rank(candidates, messageWords, expectation)
            // A correction given for (nearly) this very message is what the teacher wants said: it wins.
            .Select(r => corrections.FirstOrDefault(c => ReferenceEquals(c.Candidate.Tokens, r.Tokens)) is { Candidate: not null } c
                && c.Similarity >= OverrideSimilarity ? r with { Score = r.Score + CorrectionWeight } : r)
            .ToList();
        if (ranked.Count == 0 && phase is LearnerPhase.Developing or LearnerPhase.Fluent)
        {
            // Nothing observed resembles the message: a new sentence from the language model about its words.
            foreach (var sentence in Synthesise(tokens))
            {
                var words = memory.Bag(sentence);
                if (!memory.CopiesConversation(conversationId, words, messageWords))
                {
                    ranked.AddRange(Rank([new Candidate(sentence, words, 0, ReplyStrategies.Synthesis)], messageWords, expectation));
                }
            }
        }

        return ranked.Count > 0 ? ranked.MaxBy(r => r.Score)! : Echo(tokens);
    }

    private IEnumerable<Reply> Rank(List<Candidate> candidates, WordBag messageWords, WordAssociations.Expectation expectation)
    {
        var total = candidates.Sum(c => c.Similarity);
        // F1 is symmetric: each pair of candidates is compared once (the sums below keep their order, so the
        // agreements are the same numbers a full double loop gives).
        var n = candidates.Count;
        var f1 = new double[n * n];
        if (total > 0)
        {
            for (var a = 0; a < n; a++)
            {
                for (var b = a + 1; b < n; b++)
                {
                    f1[a * n + b] = f1[b * n + a] = WordBag.F1(candidates[a].Words, candidates[b].Words);
                }
            }
        }

        var expected = new double[n];
        var bestObserved = 0.0;
        for (var a = 0; a < n; a++)
        {
            expected[a] = expectation.F1(candidates[a].Words);
            if (candidates[a].Strategy != ReplyStrategies.Correction)
            {
                bestObserved = Math.Max(bestObserved, expected[a]);
            }
        }

        for (var a = 0; a < n; a++)
        {
            var candidate = candidates[a];
            // A correction is what the teacher said to answer: what observation predicts cannot count against it.
            var fit = candidate.Strategy == ReplyStrategies.Correction ? Math.Max(expected[a], bestObserved) : expected[a];
            var agreement = 0.0;
            if (total > 0)
            {
                for (var b = 0; b < n; b++)
                {
                    if (b != a)
                    {
                        agreement += candidates[b].Similarity * f1[a * n + b];
                    }
                }

                agreement /= total;
            }

            var feedback = memory.FeedbackFor(candidate.Tokens);
            var score = candidate.Similarity + AgreementWeight * agreement
                + AssociationWeight * fit
                + MessageOverlapWeight * WordBag.F1(candidate.Words, messageWords)
                - UseWeight * memory.ReplyUses(candidate.Words)
                - RecentBigramWeight * memory.RecentBigramShare(candidate.Words)
                + FeedbackWeight * feedback;
            yield return new Reply(candidate.Tokens, candidate.Strategy, candidate.Similarity, agreement,
                memory.IsObservedSentence(candidate.Tokens) ? 0 : 1, feedback, score) { Original = candidate.Original };
        }
    }

    /// <summary>The observing learner's reply: the message's rarest content words handed back as a question.</summary>
    private Reply Echo(List<string> tokens)
    {
        var content = Tokenizer.ContentWords(tokens).Distinct().ToList();
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
        return new Reply(words, ReplyStrategies.Echo, 0, 0, 1, 0, 0);
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

    /// <summary>New sentences from the n-gram model: beam search whose score is the model's log-probability plus a
    /// bonus for each of the message's rarest content words it uses.</summary>
    private List<List<string>> Synthesise(List<string> tokens)
    {
        var bonus = new Dictionary<int, double>();
        foreach (var word in Tokenizer.ContentWords(tokens).Distinct().OrderByDescending(memory.InverseDocumentFrequency).Take(4))
        {
            var id = memory.Vocabulary.Lookup(word);
            if (id != Vocabulary.Unknown)
            {
                bonus[id] = 1.5;
            }
        }

        return Beam([], bonus).Select(ids => ids.Select(id => memory.Vocabulary[id]).ToList()).ToList();
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
                    if (word == Vocabulary.Unknown || (word == Vocabulary.SentenceEnd && hypothesis.Ids.Count < MinSentenceTokens))
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

    private sealed record Candidate(List<string> Tokens, WordBag Words, double Similarity, string Strategy, string? Original = null);
}
