using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Cerebrum.Api.Infrastructure;

/// <summary>
/// The learner's SQLite file (WAL). Exchanges are the single source of truth: the language model is rebuilt from
/// them on start. Stimulus→response pairs are indexed with FTS5 for BM25 retrieval.
/// </summary>
public sealed class ObservationStore(IOptions<CerebrumOptions> options)
{
    private readonly string _connectionString = new SqliteConnectionStringBuilder
    {
        DataSource = Path.GetFullPath(options.Value.DatabasePath),
        Mode = SqliteOpenMode.ReadWriteCreate,
        Cache = SqliteCacheMode.Private,
        Pooling = true,
        DefaultTimeout = 30,
    }.ToString();

    /// <summary>How many of the newest pairs retrieval ranks.</summary>
    public const int SearchWindow = 10_000;

    public string DatabasePath { get; } = Path.GetFullPath(options.Value.DatabasePath);

    public async Task InitialiseAsync(CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(DatabasePath);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        await using var connection = await OpenAsync(cancellationToken);
        await ExecuteAsync(connection, "PRAGMA journal_mode = WAL;", cancellationToken);
        await StoreSchema.MigrateAsync(connection, cancellationToken);
    }

    public async Task<StoredExchange?> FindExchangeAsync(string exchangeId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"{SelectExchange} WHERE exchange_id = $id";
        command.Parameters.AddWithValue("$id", exchangeId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadExchange(reader) : null;
    }

    /// <summary>Every exchange in the order it was learned (used to rebuild the model on start).</summary>
    public async IAsyncEnumerable<StoredExchange> ReadAllAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"{SelectExchange} ORDER BY seq";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return ReadExchange(reader);
        }
    }

    /// <summary>Stores an exchange and the pairs it completes in one transaction; returns its sequence number.</summary>
    public async Task<long> SaveExchangeAsync(StoredExchange exchange, IReadOnlyList<NewPair> pairs, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);

        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO exchanges (exchange_id, conversation_id, message, response, phase, strategy, relevance, verbatim, created_at)
            VALUES ($id, $conversation, $message, $response, $phase, $strategy, $relevance, $verbatim, $created)
            RETURNING seq
            """;
        insert.Parameters.AddWithValue("$id", exchange.ExchangeId);
        insert.Parameters.AddWithValue("$conversation", (object?)exchange.ConversationId ?? DBNull.Value);
        insert.Parameters.AddWithValue("$message", exchange.Message);
        insert.Parameters.AddWithValue("$response", exchange.Response);
        insert.Parameters.AddWithValue("$phase", exchange.Phase);
        insert.Parameters.AddWithValue("$strategy", exchange.Strategy);
        insert.Parameters.AddWithValue("$relevance", exchange.Relevance);
        insert.Parameters.AddWithValue("$verbatim", exchange.Verbatim ? 1 : 0);
        insert.Parameters.AddWithValue("$created", DateTimeOffset.UtcNow.ToString("O"));
        var sequence = (long)(await insert.ExecuteScalarAsync(cancellationToken))!;

        foreach (var pair in pairs)
        {
            await using var pairInsert = connection.CreateCommand();
            pairInsert.Transaction = transaction;
            pairInsert.CommandText = """
                INSERT INTO pairs (stimulus, response, kind, exchange_seq) VALUES ($stimulus, $response, $kind, $seq);
                INSERT INTO pairs_fts (rowid, stimulus) VALUES (last_insert_rowid(), $stimulus);
                """;
            pairInsert.Parameters.AddWithValue("$stimulus", pair.Stimulus);
            pairInsert.Parameters.AddWithValue("$response", pair.Response);
            pairInsert.Parameters.AddWithValue("$kind", pair.Kind);
            pairInsert.Parameters.AddWithValue("$seq", sequence);
            await pairInsert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return sequence;
    }

    /// <summary>BM25 search over pair stimuli; <paramref name="terms"/> are plain words, quoted here so no
    /// input can form FTS5 syntax.</summary>
    public async Task<List<PairHit>> SearchPairsAsync(IReadOnlyCollection<string> terms, int limit, CancellationToken cancellationToken)
    {
        var hits = new List<PairHit>();
        if (terms.Count == 0)
        {
            return hits;
        }

        var query = string.Join(" OR ", terms.Select(t => "\"" + t.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""));
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        // Only the newest pairs are ranked: BM25 must score every match, so an unbounded search grows with the store.
        command.CommandText = """
            SELECT p.id, p.stimulus, p.response, m.rank
            FROM (SELECT rowid, rank FROM pairs_fts
                  WHERE pairs_fts MATCH $query AND rowid > (SELECT COALESCE(MAX(id), 0) FROM pairs) - $window
                  ORDER BY rank LIMIT $limit) AS m
            JOIN pairs p ON p.id = m.rowid
            ORDER BY m.rank, p.id
            """;
        command.Parameters.AddWithValue("$window", SearchWindow);
        command.Parameters.AddWithValue("$query", query);
        command.Parameters.AddWithValue("$limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            // FTS5's bm25() is negative, lower is better; flip it so larger means a better match.
            hits.Add(new PairHit(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), -reader.GetDouble(3)));
        }

        return hits;
    }

    /// <summary>The current feedback for an exchange, or null when it has none.</summary>
    public async Task<StoredFeedback?> FindFeedbackAsync(long exchangeSequence, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"{SelectFeedback} WHERE f.exchange_seq = $seq";
        command.Parameters.AddWithValue("$seq", exchangeSequence);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadFeedback(reader) : null;
    }

    /// <summary>Every exchange's current feedback, in the order each exchange was first rated.</summary>
    public async IAsyncEnumerable<StoredFeedback> ReadAllFeedbackAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"{SelectFeedback} ORDER BY f.id";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return ReadFeedback(reader);
        }
    }

    /// <summary>Stores an exchange's feedback, replacing what it had (one row per exchange, which keeps the place
    /// of the exchange's first rating); returns it with that place.</summary>
    public async Task<StoredFeedback> SaveFeedbackAsync(StoredFeedback feedback, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO feedback (exchange_seq, score, correction, revisions, updated_at)
            VALUES ($seq, $score, $correction, 1, $updated)
            ON CONFLICT (exchange_seq) DO UPDATE SET
                score = excluded.score, correction = excluded.correction, revisions = revisions + 1, updated_at = excluded.updated_at
            RETURNING id
            """;
        command.Parameters.AddWithValue("$seq", feedback.ExchangeSequence);
        command.Parameters.AddWithValue("$score", (object?)feedback.Score ?? DBNull.Value);
        command.Parameters.AddWithValue("$correction", (object?)feedback.Correction ?? DBNull.Value);
        command.Parameters.AddWithValue("$updated", DateTimeOffset.UtcNow.ToString("O"));
        var order = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        return feedback with { Order = order };
    }

    private const string SelectFeedback = """
        SELECT f.id, f.exchange_seq, e.exchange_id, e.message, e.response, f.score, f.correction
        FROM feedback f JOIN exchanges e ON e.seq = f.exchange_seq
        """;

    private static StoredFeedback ReadFeedback(SqliteDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetInt64(1),
        reader.GetString(2),
        reader.GetString(3),
        reader.GetString(4),
        reader.IsDBNull(5) ? null : reader.GetDouble(5),
        reader.IsDBNull(6) ? null : reader.GetString(6));

    private const string SelectExchange =
        "SELECT seq, exchange_id, conversation_id, message, response, phase, strategy, relevance, verbatim FROM exchanges";

    private static StoredExchange ReadExchange(SqliteDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetString(1),
        reader.IsDBNull(2) ? null : reader.GetString(2),
        reader.GetString(3),
        reader.GetString(4),
        reader.GetString(5),
        reader.GetString(6),
        reader.GetDouble(7),
        reader.GetInt64(8) != 0);

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, "PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 30000;", cancellationToken);
        return connection;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
