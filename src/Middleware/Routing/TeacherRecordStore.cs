using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Middleware.Infrastructure;
using Middleware.Sessions;

namespace Middleware.Routing;

/// <summary>
/// The per-teacher record in its own tables of the middleware's SQLite file (schema version in
/// <c>teacher_routing_schema</c>): every attempt at a teacher turn (<c>teacher_turns</c>) and each session's pool and
/// strategy (<c>teacher_sessions</c>), so routing and its evidence survive restarts.
/// </summary>
public sealed class TeacherRecordStore
{
    public const int SchemaVersion = 1;

    private const string Columns = "id, session_id, sequence, attempt, teacher, topic, at, latency_ms, outcome, error, teacher_score, learner_score, reward, reviewed, decision";

    private static readonly JsonSerializerOptions Json = WireJson.Create();

    private readonly string _connectionString;
    private readonly SemaphoreSlim _initialized = new(1, 1);
    private bool _ready;

    public TeacherRecordStore(IOptions<MiddlewareOptions> options)
    {
        _connectionString = MiddlewareDatabase.ConnectionString(options.Value);
    }

    /// <summary>Creates the tables on first use; refuses a file written by a newer middleware rather than misreading it.</summary>
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
            await using var command = connection.CreateCommand();
            command.CommandText = """
                PRAGMA journal_mode = WAL;
                CREATE TABLE IF NOT EXISTS teacher_routing_schema (version INTEGER NOT NULL);
                INSERT INTO teacher_routing_schema (version) SELECT $version WHERE NOT EXISTS (SELECT 1 FROM teacher_routing_schema);
                CREATE TABLE IF NOT EXISTS teacher_sessions (
                    session_id TEXT PRIMARY KEY,
                    teachers TEXT NOT NULL,
                    strategy TEXT NOT NULL,
                    curriculum TEXT NOT NULL
                );
                CREATE TABLE IF NOT EXISTS teacher_turns (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    session_id TEXT NOT NULL,
                    sequence INTEGER NOT NULL,
                    attempt INTEGER NOT NULL,
                    teacher TEXT NOT NULL,
                    topic TEXT NOT NULL,
                    at TEXT NOT NULL,
                    latency_ms INTEGER NOT NULL,
                    outcome TEXT NOT NULL,
                    error TEXT NULL,
                    teacher_score REAL NULL,
                    learner_score REAL NULL,
                    reward REAL NULL,
                    reviewed INTEGER NOT NULL DEFAULT 0,
                    decision TEXT NOT NULL
                );
                CREATE INDEX IF NOT EXISTS teacher_turns_session ON teacher_turns (session_id, sequence);
                CREATE INDEX IF NOT EXISTS teacher_turns_teacher ON teacher_turns (teacher, topic, id);
                CREATE INDEX IF NOT EXISTS teacher_turns_latest ON teacher_turns (teacher, id);
                """;
            command.Parameters.AddWithValue("$version", SchemaVersion);
            await command.ExecuteNonQueryAsync(cancellationToken);
            await MiddlewareDatabase.RequireKnownSchemaAsync(connection, "teacher_routing_schema", SchemaVersion, "teacher record", cancellationToken);

            _ready = true;
        }
        finally
        {
            _initialized.Release();
        }
    }

    public async Task SavePlanAsync(Guid sessionId, RoutingPlan plan, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO teacher_sessions (session_id, teachers, strategy, curriculum) VALUES ($id, $teachers, $strategy, $curriculum)
            ON CONFLICT (session_id) DO NOTHING
            """;
        Add(command, "$id", Key(sessionId));
        Add(command, "$teachers", JsonSerializer.Serialize(plan.Teachers.Select(t => t.ToString()).ToList()));
        Add(command, "$strategy", plan.Strategy);
        Add(command, "$curriculum", plan.Curriculum);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<RoutingPlan?> GetPlanAsync(Guid sessionId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT teachers, strategy, curriculum FROM teacher_sessions WHERE session_id = $id";
        Add(command, "$id", Key(sessionId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var teachers = JsonSerializer.Deserialize<List<string>>(reader.GetString(0))!.Select(TeacherName.Parse).ToList();
        return new RoutingPlan(teachers, reader.GetString(1), reader.GetString(2));
    }

    public async Task<long> AddAttemptAsync(TeacherTurnRecord turn, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO teacher_turns (session_id, sequence, attempt, teacher, topic, at, latency_ms, outcome, error, teacher_score, learner_score, reward, reviewed, decision)
            VALUES ($session, $seq, $attempt, $teacher, $topic, $at, $latency, $outcome, $error, NULL, NULL, $reward, 0, $decision);
            SELECT last_insert_rowid();
            """;
        Add(command, "$session", Key(turn.SessionId));
        Add(command, "$seq", turn.Sequence);
        Add(command, "$attempt", turn.Attempt);
        Add(command, "$teacher", turn.Teacher);
        Add(command, "$topic", turn.Topic);
        Add(command, "$at", Time(turn.At));
        Add(command, "$latency", turn.LatencyMs);
        Add(command, "$outcome", turn.Outcome);
        Add(command, "$error", turn.Error);
        Add(command, "$reward", turn.Reward);
        Add(command, "$decision", JsonSerializer.Serialize(turn.Decision, Json));
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    /// <summary>Sets the reward of an exchange's answered turn from its review.</summary>
    public async Task SetRewardAsync(long id, double? teacherScore, double? learnerScore, double reward, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE teacher_turns SET teacher_score = $ts, learner_score = $ls, reward = $reward, reviewed = 1 WHERE id = $id";
        Add(command, "$id", id);
        Add(command, "$ts", teacherScore);
        Add(command, "$ls", learnerScore);
        Add(command, "$reward", reward);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Every attempt of one exchange, oldest first.</summary>
    public Task<IReadOnlyList<TeacherTurnRecord>> AttemptsAsync(Guid sessionId, int sequence, CancellationToken cancellationToken) =>
        QueryAsync("WHERE session_id = $session AND sequence = $seq ORDER BY id", cancellationToken, ("$session", Key(sessionId)), ("$seq", sequence));

    /// <summary>A session's attempts (or everyone's), oldest first.</summary>
    public Task<IReadOnlyList<TeacherTurnRecord>> ListAsync(Guid? sessionId, CancellationToken cancellationToken) =>
        sessionId is { } id
            ? QueryAsync("WHERE session_id = $session ORDER BY id", cancellationToken, ("$session", Key(id)))
            : QueryAsync("ORDER BY id", cancellationToken);

    /// <summary>Each teacher's latest <paramref name="turns"/> attempts, oldest first, over every session: the bandit's evidence.</summary>
    public async Task<TeacherEvidence> EvidenceAsync(IReadOnlyList<string> teachers, int turns, CancellationToken cancellationToken)
    {
        var attempts = new Dictionary<string, IReadOnlyList<TeacherOutcome>>();
        await using var connection = await OpenAsync(cancellationToken);
        foreach (var teacher in teachers)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT id, topic, outcome, reward FROM teacher_turns WHERE teacher = $teacher ORDER BY id DESC LIMIT $turns";
            Add(command, "$teacher", teacher);
            Add(command, "$turns", turns);
            var outcomes = new List<TeacherOutcome>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                outcomes.Add(new TeacherOutcome(reader.GetInt64(0), reader.GetString(1), reader.GetString(2) == TeacherTurnRecord.Answered,
                    reader.IsDBNull(3) ? null : reader.GetDouble(3)));
            }

            outcomes.Reverse();
            attempts[teacher] = outcomes;
        }

        return new TeacherEvidence(attempts);
    }

    private async Task<IReadOnlyList<TeacherTurnRecord>> QueryAsync(string clause, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM teacher_turns {clause}";
        foreach (var (name, value) in parameters)
        {
            Add(command, name, value);
        }

        var turns = new List<TeacherTurnRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            turns.Add(new TeacherTurnRecord(
                reader.GetInt64(0),
                Guid.Parse(reader.GetString(1)),
                reader.GetInt32(2),
                reader.GetInt32(3),
                reader.GetString(4),
                reader.GetString(5),
                DateTimeOffset.Parse(reader.GetString(6), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
                reader.GetInt64(7),
                reader.GetString(8),
                reader.IsDBNull(9) ? null : reader.GetString(9),
                reader.IsDBNull(10) ? null : reader.GetDouble(10),
                reader.IsDBNull(11) ? null : reader.GetDouble(11),
                reader.IsDBNull(12) ? null : reader.GetDouble(12),
                reader.GetInt64(13) != 0,
                JsonSerializer.Deserialize<RoutingDecision>(reader.GetString(14), Json)!));
        }

        return turns;
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

    private static string Key(Guid sessionId) => sessionId.ToString("D");

    private static string Time(DateTimeOffset value) => value.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);
}

/// <summary>A session's teachers, how it chooses among them, and how it chooses topics; fixed when it starts.</summary>
public sealed record RoutingPlan(IReadOnlyList<TeacherName> Teachers, string Strategy, string Curriculum)
{
    public bool Routes => Teachers.Count > 0;

    /// <summary>A pool's router and the adaptive curriculum choose from the rewards so far, so each turn waits for the
    /// previous exchange's review; every other session reviews an exchange while the next one runs.</summary>
    public bool ChoosesByReviews => Routes || Curriculum == CurriculumModes.Adaptive;
}
