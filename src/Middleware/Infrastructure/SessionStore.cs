using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Middleware.Sessions;

namespace Middleware.Infrastructure;

/// <summary>
/// The middleware's own SQLite file. Every step of an exchange is written before the next one starts, so a restart
/// can tell which exchanges are done, which teacher turn still waits for the learner, and which sequence comes next.
/// WAL with <c>synchronous = NORMAL</c>: each step is one transaction that survives a killed process (the WAL is in
/// the OS's page cache the moment the commit returns); only a power loss or kernel crash can take back the commits
/// since the last checkpoint's fsync.
/// </summary>
public sealed class SessionStore
{
    private readonly string _connectionString;

    public SessionStore(IOptions<MiddlewareOptions> options)
    {
        _connectionString = MiddlewareDatabase.ConnectionString(options.Value);
    }

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await ExecuteAsync(connection, """
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = NORMAL;
            CREATE TABLE IF NOT EXISTS sessions (
                session_id TEXT PRIMARY KEY,
                status TEXT NOT NULL,
                max_exchanges INTEGER NOT NULL,
                delay REAL NOT NULL,
                topics TEXT NOT NULL,
                topic_switch_interval INTEGER NOT NULL,
                started_at TEXT NOT NULL,
                ended_at TEXT NULL,
                end_reason TEXT NULL,
                exchanges INTEGER NOT NULL DEFAULT 0,
                log_file TEXT NOT NULL,
                last_error TEXT NULL,
                retry_attempt INTEGER NOT NULL DEFAULT 0,
                next_retry_at TEXT NULL
            );
            CREATE TABLE IF NOT EXISTS exchanges (
                session_id TEXT NOT NULL REFERENCES sessions(session_id),
                sequence INTEGER NOT NULL,
                topic TEXT NOT NULL,
                teacher TEXT NOT NULL,
                teacher_at TEXT NOT NULL,
                learner TEXT NULL,
                learner_phase TEXT NULL,
                learner_observations INTEGER NULL,
                completed_at TEXT NULL,
                PRIMARY KEY (session_id, sequence)
            );
            """, cancellationToken);
    }

    public async Task CreateSessionAsync(SessionRecord session, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await ExecuteAsync(connection, """
            INSERT INTO sessions (session_id, status, max_exchanges, delay, topics, topic_switch_interval, started_at, exchanges, log_file)
            VALUES ($id, $status, $max, $delay, $topics, $interval, $started, 0, $log)
            """, cancellationToken,
            ("$id", Key(session.SessionId)),
            ("$status", session.Status.ToWire()),
            ("$max", session.Config.MaxExchanges),
            ("$delay", session.Config.Delay),
            ("$topics", JsonSerializer.Serialize(session.Config.Topics)),
            ("$interval", session.Config.TopicSwitchInterval),
            ("$started", Time(session.StartedAt)),
            ("$log", session.LogFile));
    }

    public async Task<SessionRecord?> GetSessionAsync(Guid sessionId, CancellationToken cancellationToken)
    {
        var sessions = await QuerySessionsAsync("WHERE session_id = $id", cancellationToken, ("$id", Key(sessionId)));
        return sessions.FirstOrDefault();
    }

    public async Task<SessionRecord?> GetLatestSessionAsync(CancellationToken cancellationToken)
    {
        var sessions = await QuerySessionsAsync("ORDER BY started_at DESC, rowid DESC LIMIT 1", cancellationToken);
        return sessions.FirstOrDefault();
    }

    public Task<IReadOnlyList<SessionRecord>> ListSessionsAsync(CancellationToken cancellationToken) =>
        QuerySessionsAsync("ORDER BY started_at DESC, rowid DESC", cancellationToken);

    public Task<IReadOnlyList<SessionRecord>> ListActiveSessionsAsync(CancellationToken cancellationToken) =>
        QuerySessionsAsync("WHERE status IN ('running', 'paused') ORDER BY started_at, rowid", cancellationToken);

    public async Task<bool> LogFileTakenAsync(string logFile, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM sessions WHERE log_file = $log";
        command.Parameters.AddWithValue("$log", logFile);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) > 0;
    }

    /// <summary>The last <paramref name="count"/> exchanges of a session in sequence order, the last possibly still
    /// waiting for the learner: what a runner needs to go on, however long the session already is.</summary>
    public async Task<IReadOnlyList<ExchangeRecord>> GetRecentExchangesAsync(Guid sessionId, int count, CancellationToken cancellationToken)
    {
        var exchanges = await QueryExchangesAsync(
            "WHERE session_id = $id ORDER BY sequence DESC LIMIT $limit", sessionId, cancellationToken, ("$limit", count)).ToListAsync(cancellationToken);
        exchanges.Reverse();
        return exchanges;
    }

    /// <summary>Completed exchanges after sequence <paramref name="after"/>, in order, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<SessionLogExchange>> GetCompletedExchangesAsync(Guid sessionId, int after, int limit, CancellationToken cancellationToken) =>
        await StreamCompletedExchangesAsync(sessionId, after, limit, cancellationToken).ToListAsync(cancellationToken);

    /// <summary>Completed exchanges in order, read as they are consumed (the log rebuild never holds a session in memory).</summary>
    public IAsyncEnumerable<SessionLogExchange> StreamCompletedExchangesAsync(Guid sessionId, int after, int limit, CancellationToken cancellationToken) =>
        QueryExchangesAsync(
            "WHERE session_id = $id AND sequence > $after AND learner IS NOT NULL ORDER BY sequence LIMIT $limit",
            sessionId, cancellationToken, ("$after", after), ("$limit", limit))
            .Select(e => SessionLogExchange.From(e)!);

    private async IAsyncEnumerable<ExchangeRecord> QueryExchangesAsync(
        string clause, Guid sessionId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT sequence, topic, teacher, teacher_at, learner, learner_phase, learner_observations, completed_at
            FROM exchanges {clause}
            """;
        command.Parameters.AddWithValue("$id", Key(sessionId));
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var sequence = reader.GetInt32(0);
            yield return new ExchangeRecord(
                sequence,
                ExchangeRecord.IdFor(sessionId, sequence),
                reader.GetString(1),
                reader.GetString(2),
                ParseTime(reader.GetString(3)),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetInt32(6),
                reader.IsDBNull(7) ? null : ParseTime(reader.GetString(7)));
        }
    }

    /// <summary>Write-ahead: the teacher turn is stored before it is sent to the learner.</summary>
    public async Task AddTeacherTurnAsync(Guid sessionId, int sequence, string topic, string teacher, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await ExecuteAsync(connection, """
            INSERT INTO exchanges (session_id, sequence, topic, teacher, teacher_at) VALUES ($id, $seq, $topic, $teacher, $at)
            """, cancellationToken,
            ("$id", Key(sessionId)), ("$seq", sequence), ("$topic", topic), ("$teacher", teacher), ("$at", Time(at)));
    }

    /// <summary>Stores the learner's reply and counts the exchange in one transaction (one commit); a second call for the
    /// same exchange changes nothing, so the count can never run ahead of, or behind, the stored replies.</summary>
    public async Task<bool> CompleteExchangeAsync(
        Guid sessionId, int sequence, string learner, string phase, int observations, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var changed = await ExecuteAsync(connection, transaction, """
            UPDATE exchanges SET learner = $learner, learner_phase = $phase, learner_observations = $obs, completed_at = $at
            WHERE session_id = $id AND sequence = $seq AND learner IS NULL
            """, cancellationToken,
            ("$id", Key(sessionId)), ("$seq", sequence), ("$learner", learner), ("$phase", phase), ("$obs", observations), ("$at", Time(at)));
        if (changed == 1)
        {
            await ExecuteAsync(connection, transaction, """
                UPDATE sessions SET exchanges = exchanges + 1,
                    status = CASE WHEN status = 'paused' THEN 'running' ELSE status END,
                    last_error = NULL, retry_attempt = 0, next_retry_at = NULL
                WHERE session_id = $id
                """, cancellationToken, ("$id", Key(sessionId)));
        }

        await transaction.CommitAsync(cancellationToken);
        return changed == 1;
    }

    public async Task MarkPausedAsync(Guid sessionId, string error, int attempt, DateTimeOffset nextRetryAt, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await ExecuteAsync(connection, """
            UPDATE sessions SET status = 'paused', last_error = $error, retry_attempt = $attempt, next_retry_at = $next
            WHERE session_id = $id AND status IN ('running', 'paused')
            """, cancellationToken,
            ("$id", Key(sessionId)), ("$error", error), ("$attempt", attempt), ("$next", Time(nextRetryAt)));
    }

    public async Task MarkRunningAsync(Guid sessionId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await ExecuteAsync(connection, """
            UPDATE sessions SET status = 'running', last_error = NULL, retry_attempt = 0, next_retry_at = NULL
            WHERE session_id = $id AND status = 'paused'
            """, cancellationToken, ("$id", Key(sessionId)));
    }

    /// <summary>Moves an active session to a final status; a session that already ended keeps its first ending.</summary>
    public async Task<bool> MarkEndedAsync(Guid sessionId, SessionStatus status, string reason, string? error, DateTimeOffset endedAt, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var changed = await ExecuteAsync(connection, """
            UPDATE sessions SET status = $status, end_reason = $reason, ended_at = $ended, last_error = $error, next_retry_at = NULL
            WHERE session_id = $id AND status IN ('running', 'paused')
            """, cancellationToken,
            ("$id", Key(sessionId)), ("$status", status.ToWire()), ("$reason", reason), ("$ended", Time(endedAt)), ("$error", (object?)error ?? DBNull.Value));
        return changed == 1;
    }

    private async Task<IReadOnlyList<SessionRecord>> QuerySessionsAsync(string clause, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT session_id, status, max_exchanges, delay, topics, topic_switch_interval, started_at, ended_at, end_reason,
                   exchanges, log_file, last_error, retry_attempt, next_retry_at
            FROM sessions {clause}
            """;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var sessions = new List<SessionRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            sessions.Add(new SessionRecord(
                Guid.Parse(reader.GetString(0)),
                SessionStatusExtensions.ParseWire(reader.GetString(1)),
                new SessionConfig(
                    reader.GetInt32(2),
                    reader.GetDouble(3),
                    JsonSerializer.Deserialize<List<string>>(reader.GetString(4)) ?? [],
                    reader.GetInt32(5)),
                ParseTime(reader.GetString(6)),
                reader.IsDBNull(7) ? null : ParseTime(reader.GetString(7)),
                reader.IsDBNull(8) ? null : reader.GetString(8),
                reader.GetInt32(9),
                reader.GetString(10),
                reader.IsDBNull(11) ? null : reader.GetString(11),
                reader.GetInt32(12),
                reader.IsDBNull(13) ? null : ParseTime(reader.GetString(13))));
        }

        return sessions;
    }

    private Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken) =>
        MiddlewareDatabase.OpenAsync(_connectionString, cancellationToken);

    private static Task<int> ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters) =>
        ExecuteAsync(connection, null, sql, cancellationToken, parameters);

    private static async Task<int> ExecuteAsync(
        SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string Key(Guid sessionId) => sessionId.ToString("D");

    // Round-trip format with a fixed offset sorts correctly as text.
    private static string Time(DateTimeOffset value) => value.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseTime(string value) => DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
}
