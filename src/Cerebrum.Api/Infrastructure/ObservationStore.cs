using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Cerebrum.Api.Infrastructure;

/// <summary>
/// The learner's SQLite file (WAL). Exchanges and their feedback are the single source of truth: the language model,
/// the stimulus→response pairs and everything else the learner knows are rebuilt from them on start.
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

    /// <summary>How many exchanges are stored.</summary>
    public async Task<long> CountExchangesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM exchanges";
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>The messages of the exchanges whose sequence is a multiple of <paramref name="every"/> (the held-out
    /// ones), newest first; read only as far as the caller goes.</summary>
    public async IAsyncEnumerable<(long Sequence, string Message)> ReadEveryNthMessageNewestFirstAsync(
        int every, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT seq, message FROM exchanges WHERE seq % $every = 0 ORDER BY seq DESC";
        command.Parameters.AddWithValue("$every", every);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return (reader.GetInt64(0), reader.GetString(1));
        }
    }

    /// <summary>Stores an exchange; returns its sequence number.</summary>
    public async Task<long> SaveExchangeAsync(StoredExchange exchange, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var insert = connection.CreateCommand();
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
        return (long)(await insert.ExecuteScalarAsync(cancellationToken))!;
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
