using Microsoft.Data.Sqlite;

namespace Cerebrum.Api.Infrastructure;

/// <summary>
/// The learner's SQLite schema and the steps that bring an older file up to it. The version lives in
/// <c>PRAGMA user_version</c>: 0 is a new file or one written before versioning (same tables as version 1).
/// Each step runs in its own transaction, so a file is always at one whole version.
/// </summary>
public static class StoreSchema
{
    public const int CurrentVersion = 2;

    public static async Task MigrateAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        var version = Convert.ToInt32(await ScalarAsync(connection, null, "PRAGMA user_version", cancellationToken),
            System.Globalization.CultureInfo.InvariantCulture);
        if (version > CurrentVersion)
        {
            throw new InvalidOperationException(
                $"The database has schema version {version}; this Cerebrum knows versions up to {CurrentVersion}. Use a newer build.");
        }

        for (var next = Math.Max(version, 0) + 1; next <= CurrentVersion; next++)
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            await ScalarAsync(connection, transaction, Steps[next], cancellationToken);
            await ScalarAsync(connection, transaction, $"PRAGMA user_version = {next}", cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
    }

    private static readonly Dictionary<int, string> Steps = new()
    {
        // Version 1: exchanges (the source of truth) and the stimulus→response pairs retrieval ranks.
        [1] = """
            CREATE TABLE IF NOT EXISTS exchanges (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                exchange_id TEXT NOT NULL UNIQUE,
                conversation_id TEXT NULL,
                message TEXT NOT NULL,
                response TEXT NOT NULL,
                phase TEXT NOT NULL,
                strategy TEXT NOT NULL,
                relevance REAL NOT NULL,
                verbatim INTEGER NOT NULL,
                feedback REAL NULL,
                created_at TEXT NOT NULL
            );
            CREATE TABLE IF NOT EXISTS pairs (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                stimulus TEXT NOT NULL,
                response TEXT NOT NULL,
                kind TEXT NOT NULL,
                exchange_seq INTEGER NOT NULL REFERENCES exchanges(seq)
            );
            CREATE VIRTUAL TABLE IF NOT EXISTS pairs_fts USING fts5(
                stimulus, content='pairs', content_rowid='id', tokenize='porter unicode61');
            """,
        // Version 2: feedback gets its own table (score 0..1 and/or a correction, one row per exchange). Version 1
        // kept a score in -1..1 on the exchange; it moves here mapped to 0..1, and the old column is no longer read.
        [2] = """
            CREATE TABLE feedback (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                exchange_seq INTEGER NOT NULL UNIQUE REFERENCES exchanges(seq),
                score REAL NULL CHECK (score IS NULL OR (score >= 0 AND score <= 1)),
                correction TEXT NULL,
                revisions INTEGER NOT NULL,
                updated_at TEXT NOT NULL,
                CHECK (score IS NOT NULL OR correction IS NOT NULL)
            );
            INSERT INTO feedback (exchange_seq, score, correction, revisions, updated_at)
            SELECT seq, (MAX(-1.0, MIN(1.0, feedback)) + 1.0) / 2.0, NULL, 1, created_at
            FROM exchanges WHERE feedback IS NOT NULL ORDER BY seq;
            """,
    };

    private static async Task<object?> ScalarAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(cancellationToken);
    }
}
