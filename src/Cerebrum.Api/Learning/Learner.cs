using System.Diagnostics;
using Cerebrum.Api.Infrastructure;
using Microsoft.Extensions.Options;

namespace Cerebrum.Api.Learning;

public sealed record ExchangeOutcome(string Response, string Phase, long Observations, string ExchangeId, string Strategy, bool Repeated);

public sealed record LearnerStatus(long Observations, int Vocabulary, LearnerPhase Phase, LearningMetrics Metrics, FeedbackSummary Feedback);

/// <summary>How well the model predicts some texts: open-vocabulary perplexity per token (words and sentence ends),
/// the share of words it had never learned, and the counts behind them.</summary>
public sealed record TextEvaluation(double Perplexity, double OovRate, int Sentences, int Words, int Tokens, int UnknownWords);

/// <summary>What a feedback request did: the exchange's feedback now, and whether it was new, replaced or a repeat.</summary>
public sealed record FeedbackOutcome(StoredFeedback Feedback, string Outcome);

public static class FeedbackOutcomes
{
    public const string Recorded = "recorded";
    public const string Replaced = "replaced";
    public const string Unchanged = "unchanged";
}

/// <summary>
/// The learner: answers a message from what it has observed, then learns the message. One exchange at a time
/// (a single gate), so a repeated <c>Idempotency-Key</c> – even sent concurrently – finds the first answer stored
/// and is never counted twice. The exchanges table is the source of truth; memory is rebuilt from it on start.
/// </summary>
public sealed partial class Learner(ObservationStore store, IOptions<CerebrumOptions> options, ILogger<Learner> logger) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private LearnerMemory? _memory;

    /// <summary>Opens the store and replays every stored exchange into memory (idempotent).</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await EnsureLoadedAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<ExchangeOutcome> ExchangeAsync(string message, string? exchangeId, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var memory = await EnsureLoadedAsync(cancellationToken);
            if (exchangeId is not null && await store.FindExchangeAsync(exchangeId, cancellationToken) is { } first)
            {
                LogRepeated(exchangeId);
                return new ExchangeOutcome(first.Response, first.Phase, first.Sequence, first.ExchangeId, first.Strategy, Repeated: true);
            }

            var phase = memory.Phase;
            var conversationId = ConversationOf(exchangeId);
            var reply = new ReplyComposer(memory).Compose(message, conversationId, phase);

            var id = exchangeId ?? Guid.NewGuid().ToString("N");
            var exchange = new StoredExchange(0, id, conversationId, message, reply.Text, phase.ToWire(), reply.Strategy,
                Math.Round(reply.Similarity, 6), reply.Verbatim);
            // Once a reply is composed it is kept even if the caller hangs up: a retry with the same key then gets it
            // back, and the in-memory model never diverges from the file.
            var sequence = await store.SaveExchangeAsync(exchange, CancellationToken.None);
            memory.Observe(exchange with { Sequence = sequence });

            LogExchange(id, exchange.Phase, exchange.Strategy, sequence);
            return new ExchangeOutcome(exchange.Response, exchange.Phase, sequence, id, exchange.Strategy, Repeated: false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<LearnerStatus> StatusAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var memory = await EnsureLoadedAsync(cancellationToken);
            return new LearnerStatus(memory.Observations, memory.Vocabulary.WordCount, memory.Phase, memory.Metrics(), memory.Feedback.Summary());
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Open-vocabulary perplexity and OOV rate of texts under the current model (sentence ends included;
    /// see <see cref="LearnerMemory.ScoreOpen"/>), without learning them.</summary>
    public async Task<TextEvaluation> EvaluateAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var memory = await EnsureLoadedAsync(cancellationToken);
            var logProbability = 0.0;
            int tokens = 0, words = 0, unknown = 0, sentences = 0;
            foreach (var sentence in texts.SelectMany(Tokenizer.Sentences))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var score = memory.ScoreOpen(sentence);
                logProbability += score.LogProbability;
                tokens += score.Tokens;
                words += score.Words;
                unknown += score.UnknownWords;
                sentences++;
            }

            return new TextEvaluation(
                tokens == 0 ? double.NaN : Math.Exp(-logProbability / tokens),
                words == 0 ? 0 : unknown / (double)words,
                sentences, words, tokens, unknown);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Records feedback on an exchange; null when the exchange is unknown. One verdict per exchange: a later feedback
    /// replaces what it gives (its score replaces the score, its correction the correction) and keeps what it leaves
    /// out, so a person's approval after an automatic review overrides the review's score without dropping its
    /// correction. The same feedback again changes nothing.
    /// </summary>
    public async Task<FeedbackOutcome?> FeedbackAsync(string exchangeId, double? score, string? correction, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var memory = await EnsureLoadedAsync(cancellationToken);
            if (await store.FindExchangeAsync(exchangeId, cancellationToken) is not { } exchange)
            {
                return null;
            }

            var current = memory.Feedback.Current(exchangeId);
            var merged = new StoredFeedback(current?.Order ?? 0, exchange.Sequence, exchange.ExchangeId, exchange.Message,
                exchange.Response, score ?? current?.Score, correction ?? current?.Correction);
            if (current is not null && current.Score == merged.Score && current.Correction == merged.Correction)
            {
                return new FeedbackOutcome(current, FeedbackOutcomes.Unchanged);
            }

            // Stored even if the caller hangs up, so memory and file never disagree.
            var saved = await store.SaveFeedbackAsync(merged, CancellationToken.None);
            memory.Feedback.Apply(saved);
            LogFeedback(exchangeId, saved.Score, saved.Correction is not null);
            return new FeedbackOutcome(saved, current is null ? FeedbackOutcomes.Recorded : FeedbackOutcomes.Replaced);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The conversation an exchange belongs to: the key up to its last ':' (<c>session:sequence</c>).</summary>
    public static string? ConversationOf(string? exchangeId)
    {
        var colon = exchangeId?.LastIndexOf(':') ?? -1;
        return colon > 0 ? exchangeId![..colon] : null;
    }

    public void Dispose() => _gate.Dispose();

    private async Task<LearnerMemory> EnsureLoadedAsync(CancellationToken cancellationToken)
    {
        if (_memory is not null)
        {
            return _memory;
        }

        var started = Stopwatch.GetTimestamp();
        await store.InitialiseAsync(cancellationToken);
        var settings = options.Value;
        var memory = new LearnerMemory(settings.NgramOrder, settings.HeldOutEvery, settings.MetricsWindow);
        var plan = await ReplayPlan.CreateAsync(await store.CountExchangesAsync(cancellationToken), memory.ReplyWindow,
            store.ReadEveryNthMessageNewestFirstAsync(memory.HeldOutEvery, cancellationToken), cancellationToken);
        long index = 0;
        await foreach (var exchange in store.ReadAllAsync(cancellationToken))
        {
            memory.Observe(exchange, plan.For(index++, exchange.Sequence));
        }

        await foreach (var feedback in store.ReadAllFeedbackAsync(cancellationToken))
        {
            memory.Feedback.Apply(feedback);
        }

        _memory = memory;
        LogLoaded(memory.Observations, memory.Vocabulary.WordCount, Stopwatch.GetElapsedTime(started).TotalMilliseconds, store.DatabasePath);
        return memory;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Replayed {Observations} observations ({Vocabulary} words) in {ElapsedMs:F0} ms from {DatabasePath}")]
    private partial void LogLoaded(long observations, int vocabulary, double elapsedMs, string databasePath);

    [LoggerMessage(Level = LogLevel.Information, Message = "Exchange {ExchangeId} answered in phase {Phase} by {Strategy}; observation {Observations}")]
    private partial void LogExchange(string exchangeId, string phase, string strategy, long observations);

    [LoggerMessage(Level = LogLevel.Information, Message = "Exchange {ExchangeId} repeated; returning its first answer")]
    private partial void LogRepeated(string exchangeId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Exchange {ExchangeId} now rated {Score}, with correction: {HasCorrection}")]
    private partial void LogFeedback(string exchangeId, double? score, bool hasCorrection);
}
