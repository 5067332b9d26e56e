using Middleware.Infrastructure;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Middleware.Sessions;

namespace Middleware.Reviews;

/// <summary>
/// The reviews, in their own table of the middleware's SQLite file (<c>exchange_reviews</c>, schema version in
/// <c>review_schema</c>). It is also the outbox of Cerebrum's feedback: a row whose <c>feedback_version</c> is ahead of
/// <c>delivered_version</c> still has to reach Cerebrum, and stays so across crashes until it does.
/// </summary>
public sealed class ReviewStore
{
    public const int SchemaVersion = 1;

    private const string Columns = """
        r.exchange_id, r.session_id, r.sequence, r.topic, r.phase, r.status, r.source, r.score, r.verdict, r.dimensions, r.reasons,
        r.better_reply, r.reviewer, r.fallback_reason, r.reward, r.normalized_reward, r.ema_mean, r.ema_variance, r.error, r.reviewed_at,
        r.human_approved, r.human_reason, r.human_correction, r.human_at, r.feedback_version, r.delivered_version, r.feedback_score,
        r.feedback_correction, r.delivered_at, r.feedback_error, e.teacher, e.learner
        """;

    private readonly string _connectionString;
    private readonly SemaphoreSlim _initialized = new(1, 1);
    private bool _ready;

    public ReviewStore(IOptions<MiddlewareOptions> options)
    {
        _connectionString = MiddlewareDatabase.ConnectionString(options.Value);
    }

    /// <summary>Creates the table on first use; refuses a file written by a newer middleware rather than misreading it.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        if (_ready)
        {
            return;
        }

        await _initialized.WaitAsync(cancellationToken);
        try
        {
            if (_ready)
            {
                return;
            }

            await using var connection = await OpenRawAsync(cancellationToken);
            await using (var command = connection.CreateCommand())
            {
                command.CommandText = """
                    PRAGMA journal_mode = WAL;
                    CREATE TABLE IF NOT EXISTS review_schema (version INTEGER NOT NULL, created_at TEXT NOT NULL);
                    INSERT INTO review_schema (version, created_at) SELECT $version, $now WHERE NOT EXISTS (SELECT 1 FROM review_schema);
                    CREATE TABLE IF NOT EXISTS exchange_reviews (
                        exchange_id TEXT PRIMARY KEY,
                        session_id TEXT NOT NULL,
                        sequence INTEGER NOT NULL,
                        topic TEXT NOT NULL,
                        phase TEXT NOT NULL,
                        status TEXT NOT NULL,
                        source TEXT NOT NULL,
                        score REAL NULL,
                        verdict TEXT NULL,
                        dimensions TEXT NULL,
                        reasons TEXT NULL,
                        better_reply TEXT NULL,
                        reviewer TEXT NULL,
                        fallback_reason TEXT NULL,
                        reward REAL NULL,
                        normalized_reward REAL NULL,
                        ema_mean REAL NULL,
                        ema_variance REAL NULL,
                        error TEXT NULL,
                        reviewed_at TEXT NOT NULL,
                        human_approved INTEGER NULL,
                        human_reason TEXT NULL,
                        human_correction TEXT NULL,
                        human_at TEXT NULL,
                        feedback_version INTEGER NOT NULL DEFAULT 0,
                        delivered_version INTEGER NOT NULL DEFAULT 0,
                        feedback_score REAL NULL,
                        feedback_correction TEXT NULL,
                        delivered_at TEXT NULL,
                        feedback_error TEXT NULL
                    );
                    CREATE INDEX IF NOT EXISTS exchange_reviews_session ON exchange_reviews (session_id, sequence);
                    CREATE INDEX IF NOT EXISTS exchange_reviews_outbox ON exchange_reviews (feedback_version, delivered_version);
                    """;
                command.Parameters.AddWithValue("$version", SchemaVersion);
                command.Parameters.AddWithValue("$now", Time(DateTimeOffset.UtcNow));
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            await MiddlewareDatabase.RequireKnownSchemaAsync(connection, "review_schema", SchemaVersion, "review table", cancellationToken);

            _ready = true;
        }
        finally
        {
            _initialized.Release();
        }
    }

    /// <summary>Stores the first review of an exchange; a second one for the same exchange changes nothing.</summary>
    public async Task<bool> AddAsync(ReviewRecord review, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT OR IGNORE INTO exchange_reviews (exchange_id, session_id, sequence, topic, phase, status, source, score, verdict, dimensions,
                reasons, better_reply, reviewer, fallback_reason, reward, normalized_reward, ema_mean, ema_variance, error, reviewed_at,
                feedback_version, delivered_version, feedback_score, feedback_correction)
            VALUES ($id, $session, $seq, $topic, $phase, $status, $source, $score, $verdict, $dimensions, $reasons, $better, $reviewer,
                $fallback, $reward, $normalized, $mean, $variance, $error, $at, $fv, 0, $fscore, $fcorrection)
            """;
        Add(command, "$id", review.ExchangeId);
        Add(command, "$session", Key(review.SessionId));
        Add(command, "$seq", review.Sequence);
        Add(command, "$topic", review.Topic);
        Add(command, "$phase", review.Phase);
        Add(command, "$status", review.Status);
        Add(command, "$source", review.Source);
        Add(command, "$score", review.Score);
        Add(command, "$verdict", review.Verdict);
        Add(command, "$dimensions", review.Dimensions is null ? null : JsonSerializer.Serialize(review.Dimensions));
        Add(command, "$reasons", review.Reasons is null ? null : JsonSerializer.Serialize(review.Reasons));
        Add(command, "$better", review.BetterReply);
        Add(command, "$reviewer", review.Reviewer);
        Add(command, "$fallback", review.FallbackReason);
        Add(command, "$reward", review.Reward);
        Add(command, "$normalized", review.NormalizedReward);
        Add(command, "$mean", review.EmaMean);
        Add(command, "$variance", review.EmaVariance);
        Add(command, "$error", review.Error);
        Add(command, "$at", Time(review.ReviewedAt));
        Add(command, "$fv", review.FeedbackVersion);
        Add(command, "$fscore", review.FeedbackScore);
        Add(command, "$fcorrection", review.FeedbackCorrection);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Records a person's verdict (creating the row for an exchange nobody reviewed) and queues it for Cerebrum.</summary>
    public async Task SetHumanVerdictAsync(
        string exchangeId, Guid sessionId, int sequence, string topic, string phase,
        bool approved, string? reason, string? correction, double feedbackScore, string? feedbackCorrection, DateTimeOffset at,
        CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO exchange_reviews (exchange_id, session_id, sequence, topic, phase, status, source, reviewed_at,
                human_approved, human_reason, human_correction, human_at, feedback_version, delivered_version, feedback_score, feedback_correction)
            VALUES ($id, $session, $seq, $topic, $phase, 'reviewed', 'human', $at, $approved, $reason, $correction, $at, 1, 0, $fscore, $fcorrection)
            ON CONFLICT (exchange_id) DO UPDATE SET
                status = 'reviewed', human_approved = $approved, human_reason = $reason, human_correction = $correction, human_at = $at,
                feedback_version = feedback_version + 1, feedback_score = $fscore, feedback_correction = $fcorrection, feedback_error = NULL
            """;
        Add(command, "$id", exchangeId);
        Add(command, "$session", Key(sessionId));
        Add(command, "$seq", sequence);
        Add(command, "$topic", topic);
        Add(command, "$phase", phase);
        Add(command, "$at", Time(at));
        Add(command, "$approved", approved ? 1 : 0);
        Add(command, "$reason", reason);
        Add(command, "$correction", correction);
        Add(command, "$fscore", feedbackScore);
        Add(command, "$fcorrection", feedbackCorrection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Marks one version of the feedback as handed over (or refused with <paramref name="error"/>); a newer version stays pending.</summary>
    public async Task MarkDeliveredAsync(string exchangeId, int version, string? error, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE exchange_reviews SET delivered_version = $version, delivered_at = $at, feedback_error = $error
            WHERE exchange_id = $id AND delivered_version < $version AND feedback_version >= $version
            """;
        Add(command, "$id", exchangeId);
        Add(command, "$version", version);
        Add(command, "$at", Time(at));
        Add(command, "$error", error);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>A page of the log with each exchange's review attached.</summary>
    public async Task<IReadOnlyList<SessionLogExchange>> AttachAsync(Guid sessionId, IReadOnlyList<SessionLogExchange> exchanges, CancellationToken cancellationToken)
    {
        if (exchanges.Count == 0)
        {
            return exchanges;
        }

        var reviews = await RangeAsync(sessionId, exchanges.Min(e => e.Sequence), exchanges.Max(e => e.Sequence), cancellationToken);
        return [.. exchanges.Select(e => reviews.TryGetValue(e.Sequence, out var review) ? e with { Review = review.ToView() } : e)];
    }

    /// <summary>The log's exchanges as they stream past, with their reviews, read a chunk at a time so memory stays flat
    /// however long the session; without them if the review table cannot be read, since the log must still be written.</summary>
    public async IAsyncEnumerable<SessionLogExchange> AttachTo(
        Guid sessionId, IAsyncEnumerable<SessionLogExchange> exchanges, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var chunk = new List<SessionLogExchange>(AttachChunk);
        await foreach (var exchange in exchanges.WithCancellation(cancellationToken))
        {
            chunk.Add(exchange);
            if (chunk.Count == AttachChunk)
            {
                foreach (var attached in await TryAttachAsync(sessionId, chunk, cancellationToken))
                {
                    yield return attached;
                }

                chunk.Clear();
            }
        }

        foreach (var attached in await TryAttachAsync(sessionId, chunk, cancellationToken))
        {
            yield return attached;
        }
    }

    private const int AttachChunk = 500;

    private async Task<IReadOnlyList<SessionLogExchange>> TryAttachAsync(Guid sessionId, List<SessionLogExchange> chunk, CancellationToken cancellationToken)
    {
        try
        {
            return await AttachAsync(sessionId, [.. chunk], cancellationToken);
        }
        catch (SqliteException)
        {
            return [.. chunk];
        }
    }

    private async Task<Dictionary<int, ReviewRecord>> RangeAsync(Guid sessionId, int from, int to, CancellationToken cancellationToken) =>
        (await QueryAsync("WHERE r.session_id = $session AND r.sequence BETWEEN $from AND $to", cancellationToken,
            ("$session", Key(sessionId)), ("$from", from), ("$to", to))).ToDictionary(r => r.Sequence);

    public async Task<ReviewRecord?> GetAsync(string exchangeId, CancellationToken cancellationToken) =>
        (await QueryAsync("WHERE r.exchange_id = $id", cancellationToken, ("$id", exchangeId))).FirstOrDefault();

    /// <summary>A session's reviews in sequence order.</summary>
    public Task<IReadOnlyList<ReviewRecord>> ListAsync(Guid? sessionId, CancellationToken cancellationToken) =>
        sessionId is { } id
            ? QueryAsync("WHERE r.session_id = $session ORDER BY r.sequence", cancellationToken, ("$session", Key(id)))
            : QueryAsync("ORDER BY r.reviewed_at, r.sequence", cancellationToken);

    /// <summary>The latest reviewed row of a session: where its reward normalisation stands.</summary>
    public async Task<ReviewRecord?> LatestRewardAsync(Guid sessionId, CancellationToken cancellationToken) =>
        (await QueryAsync("WHERE r.session_id = $session AND r.ema_mean IS NOT NULL ORDER BY r.sequence DESC LIMIT 1", cancellationToken,
            ("$session", Key(sessionId)))).FirstOrDefault();

    /// <summary>Feedback Cerebrum has not acknowledged yet, oldest first.</summary>
    public Task<IReadOnlyList<ReviewRecord>> PendingFeedbackAsync(int limit, CancellationToken cancellationToken) =>
        QueryAsync("WHERE r.feedback_version > r.delivered_version ORDER BY r.reviewed_at, r.sequence LIMIT $limit", cancellationToken, ("$limit", limit));

    /// <summary>Completed exchanges with no review row: the ones a crash or shutdown caught between reply and review.
    /// Only those completed since the review table exists: a database from before reviews is not reviewed wholesale.</summary>
    public async Task<IReadOnlyList<(Guid SessionId, int Sequence)>> UnreviewedExchangesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT e.session_id, e.sequence FROM exchanges e
            WHERE e.learner IS NOT NULL
              AND e.completed_at >= (SELECT created_at FROM review_schema LIMIT 1)
              AND NOT EXISTS (SELECT 1 FROM exchange_reviews r WHERE r.session_id = e.session_id AND r.sequence = e.sequence)
            ORDER BY e.session_id, e.sequence
            """;
        var missing = new List<(Guid, int)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            missing.Add((Guid.Parse(reader.GetString(0)), reader.GetInt32(1)));
        }

        return missing;
    }

    private async Task<IReadOnlyList<ReviewRecord>> QueryAsync(string clause, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {Columns}
            FROM exchange_reviews r LEFT JOIN exchanges e ON e.session_id = r.session_id AND e.sequence = r.sequence
            {clause}
            """;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var rows = new List<ReviewRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new ReviewRecord(
                reader.GetString(0),
                Guid.Parse(reader.GetString(1)),
                reader.GetInt32(2),
                reader.GetString(3),
                reader.GetString(4),
                reader.GetString(5),
                reader.GetString(6),
                Double(reader, 7),
                String(reader, 8),
                String(reader, 9) is { } dimensions ? JsonSerializer.Deserialize<Dictionary<string, double>>(dimensions) : null,
                String(reader, 10) is { } reasons ? JsonSerializer.Deserialize<List<string>>(reasons) : null,
                String(reader, 11),
                String(reader, 12),
                String(reader, 13),
                Double(reader, 14),
                Double(reader, 15),
                Double(reader, 16),
                Double(reader, 17),
                String(reader, 18),
                ParseTime(reader.GetString(19)),
                reader.IsDBNull(20) ? null : reader.GetInt32(20) == 1,
                String(reader, 21),
                String(reader, 22),
                String(reader, 23) is { } humanAt ? ParseTime(humanAt) : null,
                reader.GetInt32(24),
                reader.GetInt32(25),
                Double(reader, 26),
                String(reader, 27),
                String(reader, 28) is { } deliveredAt ? ParseTime(deliveredAt) : null,
                String(reader, 29))
            {
                Teacher = String(reader, 30),
                Learner = String(reader, 31),
            });
        }

        return rows;
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken);
        return await OpenRawAsync(cancellationToken);
    }

    private async Task<SqliteConnection> OpenRawAsync(CancellationToken cancellationToken)
    {
        return await MiddlewareDatabase.OpenAsync(_connectionString, cancellationToken);
    }

    private static void Add(SqliteCommand command, string name, object? value) => command.Parameters.AddWithValue(name, value ?? DBNull.Value);

    private static string? String(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static double? Double(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetDouble(ordinal);

    private static string Key(Guid sessionId) => sessionId.ToString("D");

    private static string Time(DateTimeOffset value) => value.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseTime(string value) => DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
}
