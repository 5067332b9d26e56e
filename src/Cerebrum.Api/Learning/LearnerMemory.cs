using Cerebrum.Api.Infrastructure;

namespace Cerebrum.Api.Learning;

/// <summary>
/// Everything the learner knows, held in memory and rebuilt from the stored exchanges on start: the n-gram model,
/// word document frequencies, fingerprints of observed sentences (to recognise verbatim copies), the last turn of
/// each conversation (to pair turns), the held-out evaluations, recent reply metrics and feedback.
/// Not thread-safe: <see cref="Learner"/> serialises access.
/// </summary>
public sealed class LearnerMemory
{
    private const int HeldOutWindow = 100;
    private const int RecentMessageCount = 2;
    private readonly int _heldOutEvery;
    private readonly int _metricsWindow;
    private readonly Dictionary<int, int> _documentFrequency = [];
    private readonly HashSet<ulong> _observedSentences = [];
    private readonly Dictionary<string, (string Message, string Reply)> _conversations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Queue<string>> _recentMessages = new(StringComparer.Ordinal);
    private readonly Queue<(double LogProbability, int Tokens)> _heldOut = new();
    private readonly Queue<ReplyRecord> _replies = new();

    public LearnerMemory(int order, int heldOutEvery, int metricsWindow)
    {
        Vocabulary = new Vocabulary();
        Model = new KneserNeyModel(order, Vocabulary);
        _heldOutEvery = heldOutEvery;
        _metricsWindow = metricsWindow;
    }

    public Vocabulary Vocabulary { get; }

    public KneserNeyModel Model { get; }

    public long Observations { get; private set; }

    public LearnerPhase Phase => LearnerPhases.FromObservations(Observations);

    public long HeldOutEvaluated { get; private set; }

    /// <summary>Pairs the new message completes in its conversation: the learner's previous reply → this message
    /// (the teacher answering the learner) and the previous message → this message (the teacher's own follow-up).</summary>
    public IReadOnlyList<NewPair> PairsFor(string? conversationId, string message)
    {
        if (conversationId is null || !_conversations.TryGetValue(conversationId, out var previous))
        {
            return [];
        }

        return
        [
            new NewPair(previous.Reply, message, "reply"),
            new NewPair(previous.Message, message, "follow"),
        ];
    }

    /// <summary>Learns one stored exchange. Every N-th observation is first scored by the model (held out).</summary>
    public void Observe(StoredExchange exchange)
    {
        var sentences = Tokenizer.Sentences(exchange.Message);
        if (exchange.Sequence % _heldOutEvery == 0 && Model.Sentences > 0)
        {
            EvaluateHeldOut(sentences);
        }

        var words = new HashSet<int>();
        foreach (var sentence in sentences)
        {
            var ids = sentence.Select(Vocabulary.GetOrAdd).ToList();
            Model.Learn(ids);
            _observedSentences.Add(Tokenizer.Fingerprint(sentence));
            words.UnionWith(ids.Where(id => Tokenizer.IsContentWord(Vocabulary[id])));
        }

        foreach (var word in words)
        {
            _documentFrequency[word] = _documentFrequency.GetValueOrDefault(word) + 1;
        }

        if (exchange.ConversationId is not null)
        {
            _conversations[exchange.ConversationId] = (exchange.Message, exchange.Response);
            if (!_recentMessages.TryGetValue(exchange.ConversationId, out var recent))
            {
                _recentMessages[exchange.ConversationId] = recent = new Queue<string>();
            }

            recent.Enqueue(exchange.Message);
            while (recent.Count > RecentMessageCount)
            {
                recent.Dequeue();
            }
        }

        RecordReply(exchange);

        Observations = Math.Max(Observations, exchange.Sequence);
    }

    /// <summary>The last few messages of a conversation, oldest first (their words tell what the topic is).</summary>
    public IReadOnlyList<string> RecentMessages(string? conversationId) =>
        conversationId is not null && _recentMessages.TryGetValue(conversationId, out var recent) ? recent.ToList() : [];

    /// <summary>How much a candidate repeats the learner's own recent replies: the highest bigram Jaccard overlap
    /// with any of the last 30, in [0, 1].</summary>
    public double SelfRepetition(IReadOnlyList<string> tokens)
    {
        var bigrams = Bigrams(tokens.Where(t => !Tokenizer.IsPunctuation(t)).ToList());
        if (bigrams.Count == 0)
        {
            return 0;
        }

        var worst = 0.0;
        foreach (var reply in _replies.Skip(Math.Max(0, _replies.Count - 30)))
        {
            var shared = bigrams.Count(reply.Bigrams.Contains);
            if (shared > 0)
            {
                worst = Math.Max(worst, shared / (double)(bigrams.Count + reply.Bigrams.Count - shared));
            }
        }

        return worst;
    }

    public double InverseDocumentFrequency(string word)
    {
        var id = Vocabulary.Lookup(word);
        var df = id == Vocabulary.Unknown ? 0 : _documentFrequency.GetValueOrDefault(id);
        return Math.Log(1 + (Observations + 1.0) / (df + 1.0));
    }

    /// <summary>A word in more than a fifth of all messages (once there are enough to tell).</summary>
    public bool IsCommon(string word)
    {
        var id = Vocabulary.Lookup(word);
        return Observations >= 100 && id != Vocabulary.Unknown && _documentFrequency.GetValueOrDefault(id) > Observations / 5;
    }

    public bool IsObservedSentence(IEnumerable<string> tokens) => _observedSentences.Contains(Tokenizer.Fingerprint(tokens));

    /// <summary>The current feedback per exchange, the corrections and the scored replies.</summary>
    public FeedbackBook Feedback { get; } = new();

    /// <summary>How past feedback judges a candidate, in [−1, 1] (see <see cref="FeedbackBook.Judge"/>).</summary>
    public double FeedbackFor(IReadOnlyList<string> tokens) => Feedback.Judge(tokens);

    /// <summary>How much a word tells two messages apart: its inverse document frequency for content words, a
    /// small constant for stop words (they still distinguish "how are you" from "who are you").</summary>
    public double TermWeight(string word) => Tokenizer.IsContentWord(word) ? InverseDocumentFrequency(word) : 0.5;

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
            NonVerbatimShare: replies.Count == 0 ? 0 : Math.Round(replies.Count(r => !r.Verbatim) / (double)replies.Count, 4),
            MeanRelevance: replies.Count == 0 ? 0 : Math.Round(replies.Average(r => r.Relevance), 4),
            RepliesMeasured: replies.Count,
            NgramOrder: Model.Order,
            NgramTypes: Model.NgramTypes,
            Tokens: Model.Tokens);
    }

    private void EvaluateHeldOut(List<List<string>> sentences)
    {
        foreach (var sentence in sentences)
        {
            var ids = sentence.Select(Vocabulary.Lookup).ToList();
            var (logProbability, tokens) = Model.Score(ids);
            _heldOut.Enqueue((logProbability, tokens));
            HeldOutEvaluated++;
            while (_heldOut.Count > HeldOutWindow)
            {
                _heldOut.Dequeue();
            }
        }
    }

    private void RecordReply(StoredExchange exchange)
    {
        var words = Tokenizer.Tokenize(exchange.Response).Where(t => !Tokenizer.IsPunctuation(t)).ToList();
        _replies.Enqueue(new ReplyRecord(words, Bigrams(words), exchange.Relevance, exchange.Verbatim));
        while (_replies.Count > _metricsWindow)
        {
            _replies.Dequeue();
        }
    }

    private static HashSet<string> Bigrams(IReadOnlyList<string> tokens)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 1; i < tokens.Count; i++)
        {
            set.Add(tokens[i - 1] + " " + tokens[i]);
        }

        return set;
    }

    private sealed record ReplyRecord(List<string> Words, HashSet<string> Bigrams, double Relevance, bool Verbatim);
}
