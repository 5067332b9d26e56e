using Cerebrum.Api.Infrastructure;
using Cerebrum.Api.Learning;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Cerebrum.Bench;

/// <summary>Something that answers the teacher: Cerebrum or a baseline.</summary>
public interface IBenchLearner : IAsyncDisposable
{
    string Name { get; }

    Task<string> ReplyAsync(string message, string exchangeId, CancellationToken cancellationToken);
}

/// <summary>The real learner, in-process through its public types, on its own temporary SQLite file.</summary>
public sealed class CerebrumLearner : IBenchLearner
{
    private readonly string _directory;

    public CerebrumLearner(int order)
    {
        _directory = Directory.CreateTempSubdirectory("cerebrum-bench-").FullName;
        var options = Options.Create(new CerebrumOptions { DatabasePath = Path.Combine(_directory, "cerebrum.db"), NgramOrder = order });
        Learner = new Learner(new ObservationStore(options), options, NullLogger<Learner>.Instance);
    }

    public string Name => "cerebrum";

    public Learner Learner { get; }

    public Dictionary<string, int> Strategies { get; } = [];

    public async Task<string> ReplyAsync(string message, string exchangeId, CancellationToken cancellationToken)
    {
        var outcome = await Learner.ExchangeAsync(message, exchangeId, cancellationToken);
        Strategies[outcome.Strategy] = Strategies.GetValueOrDefault(outcome.Strategy) + 1;
        return outcome.Response;
    }

    public ValueTask DisposeAsync()
    {
        Learner.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        return ValueTask.CompletedTask;
    }
}

/// <summary>Baseline: hands the teacher's message straight back.</summary>
public sealed class EchoLearner : IBenchLearner
{
    public string Name => "echo";

    public Task<string> ReplyAsync(string message, string exchangeId, CancellationToken cancellationToken) => Task.FromResult(message);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>Baseline: the first learner of issue 3. Stores the same stimulus→response pairs Cerebrum does and
/// answers with the response of the best BM25 match, verbatim; echoes when nothing matches.</summary>
public sealed class RetrievalLearner : IBenchLearner
{
    private readonly List<(List<string> Terms, string Response)> _pairs = [];
    private readonly Dictionary<string, int> _documentFrequency = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Message, string Reply)> _conversations = new(StringComparer.Ordinal);
    private double _totalLength;

    public string Name => "retrieval";

    public Task<string> ReplyAsync(string message, string exchangeId, CancellationToken cancellationToken)
    {
        var reply = Best(Terms(message)) ?? message;
        var conversation = Learner.ConversationOf(exchangeId);
        if (conversation is not null)
        {
            if (_conversations.TryGetValue(conversation, out var previous))
            {
                Add(previous.Reply, message);
                Add(previous.Message, message);
            }

            _conversations[conversation] = (message, reply);
        }

        return Task.FromResult(reply);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static List<string> Terms(string text) => Tokenizer.ContentWords(Tokenizer.Tokenize(text)).ToList();

    private void Add(string stimulus, string response)
    {
        var terms = Terms(stimulus);
        _pairs.Add((terms, response));
        _totalLength += terms.Count;
        foreach (var term in terms.Distinct())
        {
            _documentFrequency[term] = _documentFrequency.GetValueOrDefault(term) + 1;
        }
    }

    private string? Best(List<string> query)
    {
        const double k1 = 1.2;
        const double b = 0.75;
        if (_pairs.Count == 0 || query.Count == 0)
        {
            return null;
        }

        var averageLength = Math.Max(1, _totalLength / _pairs.Count);
        string? best = null;
        var bestScore = 0.0;
        foreach (var (terms, response) in _pairs)
        {
            var score = 0.0;
            foreach (var term in query.Distinct())
            {
                var frequency = terms.Count(t => t == term);
                if (frequency == 0)
                {
                    continue;
                }

                var df = _documentFrequency[term];
                var idf = Math.Log(1 + (_pairs.Count - df + 0.5) / (df + 0.5));
                score += idf * frequency * (k1 + 1) / (frequency + k1 * (1 - b + b * terms.Count / averageLength));
            }

            if (score > bestScore)
            {
                bestScore = score;
                best = response;
            }
        }

        return best;
    }
}
