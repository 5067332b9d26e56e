using Cerebrum.Api.Infrastructure;

namespace Cerebrum.Api.Learning;

/// <summary>
/// Everything the learner knows, held in memory and rebuilt from the stored exchanges on start: the n-gram model and
/// the spelling model, word document frequencies, fingerprints of observed sentences (to recognise verbatim copies),
/// the stimulus→response pairs and the recent turns of each conversation, how often each reply was given, the
/// held-out evaluations, recent reply metrics and feedback.
/// Not thread-safe: <see cref="Learner"/> serialises access.
/// </summary>
public sealed class LearnerMemory
{
    /// <summary>Held-out sentences the perplexity is measured over (the newest).</summary>
    public const int HeldOutWindow = 100;
    /// <summary>Turns of a conversation a reply must not copy (messages and the learner's replies, newest).</summary>
    private const int ConversationMemory = 40;

    /// <summary>Recent replies whose bigrams make a candidate look repetitive.</summary>
    private const int RecentReplyWindow = 300;

    /// <summary>Recent replies whose repeats count against a candidate.</summary>
    private const int ReplyUseWindow = 1000;

    /// <summary>The stream of messages sent without a conversation key: consecutive ones still pair up.</summary>
    private const string Unkeyed = "";
    private readonly int _heldOutEvery;
    private readonly int _metricsWindow;
    private readonly Dictionary<int, int> _documentFrequency = [];
    private readonly HashSet<ulong> _observedSentences = [];
    private readonly Dictionary<string, Conversation> _conversations = new(StringComparer.Ordinal);
    private readonly Dictionary<ulong, int> _replyUses = [];
    private readonly Queue<ulong> _recentReplies = new();
    private readonly Queue<ulong[]> _recentReplyBigrams = new();
    private readonly Dictionary<ulong, int> _recentBigramCounts = [];
    private readonly Queue<(double LogProbability, int Tokens)> _heldOut = new();
    private readonly Queue<ReplyRecord> _replies = new();

    public LearnerMemory(int order, int heldOutEvery, int metricsWindow)
    {
        Vocabulary = new Vocabulary();
        Model = new KneserNeyModel(order, Vocabulary);
        _heldOutEvery = heldOutEvery;
        _metricsWindow = metricsWindow;
        Associations = new WordAssociations(Pairs);
    }

    public Vocabulary Vocabulary { get; }

    public KneserNeyModel Model { get; }

    /// <summary>How words are spelled: prices unknown words in <see cref="ScoreOpen"/>.</summary>
    public SpellingModel Spelling { get; } = new(batch: SpellingBatch);

    /// <summary>New word types the spelling model learns at a time (see <see cref="SpellingModel"/>).</summary>
    public const int SpellingBatch = 32;

    public long Observations { get; private set; }

    public LearnerPhase Phase => LearnerPhases.FromObservations(Observations);

    public long HeldOutEvaluated { get; private set; }

    /// <summary>Every word read, as ids: texts are compared as <see cref="WordBag"/>s.</summary>
    public Lexicon Lexicon { get; } = new();

    /// <summary>The bag of words (as <see cref="WordOverlap.Words(IEnumerable{string})"/> gives them) of tokens.</summary>
    public WordBag Bag(IEnumerable<string> tokens)
    {
        var words = WordOverlap.Words(tokens);
        return words.Length == 0 ? WordBag.Empty : new WordBag(Lexicon.Ids(words));
    }

    /// <summary>The stimulus→response pairs retrieval ranks.</summary>
    public PairIndex Pairs { get; } = new();

    /// <summary>Which words answers hold given the message's words, over the same pairs.</summary>
    public WordAssociations Associations { get; }

    /// <summary>Every how many observations one is held out (scored before it is learned).</summary>
    public int HeldOutEvery => _heldOutEvery;

    /// <summary>How many of the newest exchanges the reply metrics and penalties look at: an older one's reply
    /// no longer counts anywhere.</summary>
    public int ReplyWindow => Math.Max(Math.Max(ReplyUseWindow, RecentReplyWindow), _metricsWindow);

    /// <summary>Learns one stored exchange. Every N-th observation is first scored by the model (held out).</summary>
    public void Observe(StoredExchange exchange) => Observe(exchange, ObserveParts.All);

    /// <summary>Learns one stored exchange, leaving out what <paramref name="parts"/> says a replay may skip:
    /// the state after the replay is the same (see <see cref="ReplayPlan"/>).</summary>
    public void Observe(StoredExchange exchange, ObserveParts parts)
    {
        var message = Tokenizer.Tokenize(exchange.Message);
        var sentences = Tokenizer.Sentences(message);
        if (exchange.Sequence % _heldOutEvery == 0 && Model.Sentences > 0)
        {
            if (parts.ScoreHeldOut)
            {
                EvaluateHeldOut(sentences);
            }
            else
            {
                // Too old to be in the window at the end of the replay: only counted.
                HeldOutEvaluated += sentences.Count;
            }
        }

        var words = new HashSet<int>();
        foreach (var sentence in sentences)
        {
            // Open vocabulary: a word's first occurrence is learned as <unk>, so the model learns how often, and
            // where, new words turn up; then the word joins the vocabulary and the spelling model learns it.
            var ids = new int[sentence.Count];
            for (var i = 0; i < ids.Length; i++)
            {
                ids[i] = Vocabulary.Lookup(sentence[i]);
            }

            Model.Learn(ids);
            for (var i = 0; i < ids.Length; i++)
            {
                var token = sentence[i];
                var id = ids[i];
                // A word new to this sentence may have joined the vocabulary at its earlier occurrence.
                if (id == Vocabulary.Unknown && (id = Vocabulary.Lookup(token)) == Vocabulary.Unknown)
                {
                    id = Vocabulary.GetOrAdd(token);
                    Spelling.Learn(token);
                }

                if (Tokenizer.IsContentWord(token))
                {
                    words.Add(id);
                }
            }

            _observedSentences.Add(Tokenizer.Fingerprint(sentence));
        }

        foreach (var word in words)
        {
            _documentFrequency[word] = _documentFrequency.GetValueOrDefault(word) + 1;
        }

        var reply = Tokenizer.Tokenize(exchange.Response);
        var conversation = ConversationOf(exchange.ConversationId);
        var messageBag = Bag(message);
        var replyBag = Bag(reply);
        if (parts.MeasureReply)
        {
            RecordReply(exchange, reply, replyBag, WordBag.IsCopy(replyBag, messageBag), conversation.Copies(replyBag));
        }

        LearnPairs(exchange.ConversationId, conversation, exchange.Message, message, messageBag, replyBag);
        Observations = Math.Max(Observations, exchange.Sequence);
    }

    /// <summary>
    /// The pair the new message completes in its conversation: the previous message → this message, with the message
    /// before as context. Messages without a conversation key are one stream. The learner's own reply → this message is
    /// not learned as a pair: measured on real dialogue it lowers reply F1 from 0.104 to 0.087 (its stimulus is the
    /// learner's guess, not a real turn); what the learner should have said comes in as a correction instead.
    /// </summary>
    private void LearnPairs(string? conversationId, Conversation conversation, string text, List<string> message, WordBag messageBag, WordBag replyBag)
    {
        var messageIds = Ids(message);
        if (conversation.Message is { } previous)
        {
            Pairs.Add(PairKinds.Follow, conversationId, previous, conversation.Before ?? [], text, messageBag);
            Associations.Add(messageBag);
        }

        conversation.Before = conversation.Message;
        conversation.Message = messageIds;
        conversation.Remember(messageBag);
        conversation.Remember(replyBag);
    }

    private List<int> Ids(IEnumerable<string> tokens)
    {
        var ids = new List<int>();
        foreach (var token in tokens)
        {
            if (!Tokenizer.IsPunctuation(token) && token is not ("a" or "an" or "the") && Vocabulary.Lookup(token) is var id and not Vocabulary.Unknown)
            {
                ids.Add(id);
            }
        }

        return ids;
    }

    private Conversation ConversationOf(string? id)
    {
        var key = id ?? Unkeyed;
        if (!_conversations.TryGetValue(key, out var conversation))
        {
            _conversations[key] = conversation = new Conversation();
        }

        return conversation;
    }

    /// <summary>The turn before the message in its conversation (its context), as word ids.</summary>
    public IReadOnlyList<int> PreviousTurn(string? conversationId) =>
        _conversations.TryGetValue(conversationId ?? Unkeyed, out var conversation) ? conversation.Message ?? [] : [];

    /// <summary>Whether a reply would copy the message or an earlier turn of its conversation (unigram F1 &gt; 0.8).</summary>
    public bool CopiesConversation(string? conversationId, WordBag reply, WordBag message) =>
        WordBag.IsCopy(reply, message)
        || (_conversations.TryGetValue(conversationId ?? Unkeyed, out var conversation) && conversation.Copies(reply));

    /// <summary>A message's known words as vocabulary ids (punctuation and articles left out), as retrieval and the
    /// associations compare them.</summary>
    public List<int> MessageIds(IEnumerable<string> tokens) => Ids(tokens);

    /// <summary>The distinct words of a message (its <see cref="MessageIds"/>) the associations weigh, with their IDF
    /// over the stimuli.</summary>
    public List<(int Word, double Weight)> WeightedWords(IEnumerable<int> messageIds) =>
        [.. messageIds.Distinct().Select(id => (id, Pairs.InverseDocumentFrequency(id)))];

    /// <summary>How often the learner gave this reply (compared by its words) among its last 1,000 replies.</summary>
    public int ReplyUses(WordBag reply) => _replyUses.GetValueOrDefault(reply.Fingerprint);

    /// <summary>The share of a reply's bigrams the learner used in its last 300 replies, in [0, 1].</summary>
    public double RecentBigramShare(WordBag reply)
    {
        var ids = reply.Ids;
        if (ids.Length < 2)
        {
            return ids.Length == 0 ? 1 : (_replyUses.ContainsKey(reply.Fingerprint) ? 1 : 0);
        }

        var used = 0;
        for (var i = 1; i < ids.Length; i++)
        {
            if (_recentBigramCounts.ContainsKey(Bigram(ids[i - 1], ids[i])))
            {
                used++;
            }
        }

        return used / (double)(ids.Length - 1);
    }

    private static ulong Bigram(int first, int second) => ((ulong)(uint)first << 32) | (uint)second;

    public double InverseDocumentFrequency(string word)
    {
        var id = Vocabulary.Lookup(word);
        var df = id == Vocabulary.Unknown ? 0 : _documentFrequency.GetValueOrDefault(id);
        return Math.Log(1 + (Observations + 1.0) / (df + 1.0));
    }

    /// <summary>Whether every sentence of the tokens was observed verbatim.</summary>
    public bool IsObservedSentence(IEnumerable<string> tokens)
    {
        var sentence = new List<string>();
        var any = false;
        foreach (var token in tokens)
        {
            sentence.Add(token);
            if (Tokenizer.IsSentenceEnd(token))
            {
                if (!_observedSentences.Contains(Tokenizer.Fingerprint(sentence)))
                {
                    return false;
                }

                any = true;
                sentence.Clear();
            }
        }

        return sentence.Count == 0 ? any : _observedSentences.Contains(Tokenizer.Fingerprint(sentence));
    }

    /// <summary>The current feedback per exchange, the corrections and the scored replies.</summary>
    public FeedbackBook Feedback { get; } = new();

    /// <summary>How past feedback judges a candidate, in [−1, 1] (see <see cref="FeedbackBook.Judge"/>).</summary>
    public double FeedbackFor(IReadOnlyList<string> tokens) => Feedback.Judge(tokens);

    /// <summary>How much a word tells two messages apart: its inverse document frequency among the pairs' stimuli,
    /// the weight retrieval gives it too, so a correction's similarity compares with a pair's.</summary>
    public double TermWeight(string word) => word is "a" or "an" or "the" ? 0 : Pairs.InverseDocumentFrequency(Vocabulary.Lookup(word));

    public LearningMetrics Metrics()
    {
        var heldOutTokens = _heldOut.Sum(h => h.Tokens);
        double? perplexity = heldOutTokens == 0 ? null : Math.Exp(-_heldOut.Sum(h => h.LogProbability) / heldOutTokens);
        var replies = _replies.ToList();
        var words = replies.Select(r => r.Words).ToList();
        return new LearningMetrics(
            HeldOutPerplexity: perplexity is { } p ? Math.Round(p, 3) : null,
            HeldOutSentences: _heldOut.Count,
            HeldOutEvaluated: HeldOutEvaluated,
            Distinct1: Math.Round(ReplyMetrics.DistinctN(words, 1), 4),
            Distinct2: Math.Round(ReplyMetrics.DistinctN(words, 2), 4),
            NonVerbatimShare: Share(replies, r => !r.Verbatim),
            MessageCopyShare: Share(replies, r => r.CopiesMessage),
            EarlierTurnCopyShare: Share(replies, r => r.CopiesEarlierTurn),
            TopReplyShare: replies.Count == 0 ? 0 : Math.Round(replies.GroupBy(r => r.Fingerprint).Max(g => g.Count()) / (double)replies.Count, 4),
            MeanFeedbackScore: Feedback.MeanScore is { } mean ? Math.Round(mean, 4) : null,
            RepliesMeasured: replies.Count,
            NgramOrder: Model.Order,
            NgramTypes: Model.NgramTypes,
            Tokens: Model.Tokens);
    }

    private static double Share(List<ReplyRecord> replies, Func<ReplyRecord, bool> test) =>
        replies.Count == 0 ? 0 : Math.Round(replies.Count(test) / (double)replies.Count, 4);

    private void EvaluateHeldOut(List<List<string>> sentences)
    {
        foreach (var sentence in sentences)
        {
            var score = ScoreOpen(sentence);
            _heldOut.Enqueue((score.LogProbability, score.Tokens));
            HeldOutEvaluated++;
            while (_heldOut.Count > HeldOutWindow)
            {
                _heldOut.Dequeue();
            }
        }
    }

    /// <summary>
    /// Open-vocabulary log-probability of a sentence (its end included): every word w, known or not, can be said as
    /// itself or spelled out through the unknown-word class,
    /// P(w | h) = P_KN(w | h) + P_KN(&lt;unk&gt; | h) · P_spell(w)   (P_KN(w | h) = 0 for a word not in the vocabulary),
    /// and the sentence end has P_KN(&lt;/s&gt; | h). Because P_KN sums to one over the vocabulary, &lt;/s&gt; and &lt;unk&gt;,
    /// and P_spell sums to one over all strings, P sums to one over all strings and the sentence end: the perplexity of
    /// a text stays comparable however large the vocabulary grows.
    /// </summary>
    public SentenceScore ScoreOpen(IReadOnlyList<string> sentence)
    {
        var ids = new int[sentence.Count + 1];
        var unknown = 0;
        var words = 0;
        var total = 0.0;
        for (var i = 0; i < sentence.Count; i++)
        {
            ids[i] = Vocabulary.Lookup(sentence[i]);
            var history = ids.AsSpan(0, i);
            // In logs: a long unknown string's spelling probability underflows a double.
            var (known, unknownWord) = Model.ProbabilityWithUnknown(history, ids[i]);
            var logSpelled = Math.Log(unknownWord) + Spelling.LogProbability(sentence[i]);
            var isWord = !Tokenizer.IsPunctuation(sentence[i]);
            words += isWord ? 1 : 0;
            if (ids[i] == Vocabulary.Unknown)
            {
                unknown += isWord ? 1 : 0;
                total += logSpelled;
            }
            else
            {
                total += Math.Log(known + Math.Exp(logSpelled));
            }
        }

        total += Math.Log(Model.Probability(ids.AsSpan(0, sentence.Count), Vocabulary.SentenceEnd));
        return new SentenceScore(total, sentence.Count + 1, words, unknown);
    }

    private void RecordReply(StoredExchange exchange, List<string> tokens, WordBag bag, bool copiesMessage, bool copiesEarlierTurn)
    {
        var fingerprint = bag.Fingerprint;
        _replies.Enqueue(new ReplyRecord(WordOverlap.Words(tokens), fingerprint, exchange.Verbatim, copiesMessage, copiesEarlierTurn));
        while (_replies.Count > _metricsWindow)
        {
            _replies.Dequeue();
        }

        _replyUses[fingerprint] = _replyUses.GetValueOrDefault(fingerprint) + 1;
        _recentReplies.Enqueue(fingerprint);
        if (_recentReplies.Count > ReplyUseWindow)
        {
            var oldest = _recentReplies.Dequeue();
            if (--_replyUses[oldest] == 0)
            {
                _replyUses.Remove(oldest);
            }
        }
        var ids = bag.Ids;
        var bigrams = new ulong[Math.Max(0, ids.Length - 1)];
        for (var i = 1; i < ids.Length; i++)
        {
            bigrams[i - 1] = Bigram(ids[i - 1], ids[i]);
            _recentBigramCounts[bigrams[i - 1]] = _recentBigramCounts.GetValueOrDefault(bigrams[i - 1]) + 1;
        }

        _recentReplyBigrams.Enqueue(bigrams);
        if (_recentReplyBigrams.Count > RecentReplyWindow)
        {
            foreach (var bigram in _recentReplyBigrams.Dequeue())
            {
                if (--_recentBigramCounts[bigram] == 0)
                {
                    _recentBigramCounts.Remove(bigram);
                }
            }
        }
    }

    private sealed record ReplyRecord(string[] Words, ulong Fingerprint, bool Verbatim, bool CopiesMessage, bool CopiesEarlierTurn);

    /// <summary>What the learner keeps of one conversation: its last message (to pair it with the next), the message
    /// before (the pair's context) and its recent turns, messages and replies (which replies must not copy).</summary>
    private sealed class Conversation
    {
        public List<int>? Before;
        public List<int>? Message;
        public readonly Queue<WordBag> Turns = new();

        /// <summary>Whether a reply is a near-copy of one of the remembered turns.</summary>
        public bool Copies(WordBag reply)
        {
            foreach (var turn in Turns)
            {
                if (WordBag.IsCopy(reply, turn))
                {
                    return true;
                }
            }

            return false;
        }

        public void Remember(WordBag words)
        {
            if (words.Count == 0)
            {
                return;
            }

            Turns.Enqueue(words);
            while (Turns.Count > ConversationMemory)
            {
                Turns.Dequeue();
            }
        }
    }
}

/// <summary>Where a stimulus→response pair came from.</summary>
public static class PairKinds
{
    public const string Follow = "follow";
}
/// <summary>A sentence's open-vocabulary log-probability, the tokens predicted (words, punctuation and the end), its
/// words (punctuation left out) and how many of them the vocabulary did not hold.</summary>
public readonly record struct SentenceScore(double LogProbability, int Tokens, int Words, int UnknownWords);
