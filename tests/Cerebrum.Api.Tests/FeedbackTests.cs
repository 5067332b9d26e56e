using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Cerebrum.Api.Tests;

public sealed class FeedbackTests : IDisposable
{
    private const string Probe = "What do you eat for breakfast?";
    private const string Correction = "Usually porridge with honey and a cup of tea.";
    private readonly TempDirectory _directory = new();

    private static async Task TeachAsync(CerebrumHost host, int exchanges)
    {
        for (var n = 1; n <= exchanges; n++)
        {
            await host.ChatAsync(TeachingCorpus.Message(n), $"teach:{n}");
        }
    }

    private static async Task<JsonElement> FeedbackAsync(CerebrumHost host, object body)
    {
        using var response = await host.Client.PostAsJsonAsync("/api/feedback", body);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<(int Received, int Corrections, double? MeanScore)> SummaryAsync(CerebrumHost host)
    {
        var feedback = (await host.StatusAsync()).GetProperty("feedback");
        var mean = feedback.GetProperty("mean_score");
        return (feedback.GetProperty("received").GetInt32(), feedback.GetProperty("corrections").GetInt32(),
            mean.ValueKind == JsonValueKind.Null ? null : mean.GetDouble());
    }

    [Fact]
    public async Task Status_reports_no_feedback_before_any_arrives()
    {
        await using var host = new CerebrumHost(_directory.File("cerebrum.db"));
        await host.ChatAsync("Hello there.", "s:1");

        (await SummaryAsync(host)).ShouldBe((0, 0, (double?)null));
    }

    [Fact]
    public async Task Repeated_feedback_for_an_exchange_counts_once()
    {
        await using var host = new CerebrumHost(_directory.File("cerebrum.db"));
        await host.ChatAsync("Hello there.", "s:1");
        await host.ChatAsync("How are you today?", "s:2");

        var first = await FeedbackAsync(host, new { exchange_id = "s:1", score = 0.25, correction = "Hi! Nice to meet you." });
        var again = await FeedbackAsync(host, new { exchange_id = "s:1", score = 0.25, correction = "Hi! Nice to meet you." });
        await FeedbackAsync(host, new { exchange_id = "s:2", score = 0.75 });

        first.GetProperty("outcome").GetString().ShouldBe("recorded");
        again.GetProperty("outcome").GetString().ShouldBe("unchanged");
        (await SummaryAsync(host)).ShouldBe((2, 1, (double?)0.5));
    }

    [Fact]
    public async Task A_later_verdict_replaces_the_earlier_score_and_keeps_the_correction()
    {
        await using var host = new CerebrumHost(_directory.File("cerebrum.db"));
        await host.ChatAsync("Hello there.", "s:1");

        // The automatic review first, then a person approves the same exchange.
        await FeedbackAsync(host, new { exchange_id = "s:1", score = 0.2, correction = "Hi! Nice to meet you." });
        var human = await FeedbackAsync(host, new { exchange_id = "s:1", approved = true });

        human.GetProperty("outcome").GetString().ShouldBe("replaced");
        human.GetProperty("score").GetDouble().ShouldBe(1.0);
        human.GetProperty("correction").GetString().ShouldBe("Hi! Nice to meet you.");
        (await SummaryAsync(host)).ShouldBe((1, 1, (double?)1.0));

        var denied = await FeedbackAsync(host, new { exchange_id = "s:1", approved = false, correction = "Hello! Good to see you." });
        denied.GetProperty("correction").GetString().ShouldBe("Hello! Good to see you.");
        (await SummaryAsync(host)).ShouldBe((1, 1, (double?)0.0));
    }

    [Fact]
    public async Task A_correction_alone_is_feedback_without_a_score()
    {
        await using var host = new CerebrumHost(_directory.File("cerebrum.db"));
        await host.ChatAsync("Hello there.", "s:1");

        var body = await FeedbackAsync(host, new { exchange_id = "s:1", correction = "Hi! Nice to meet you." });

        body.GetProperty("score").ValueKind.ShouldBe(JsonValueKind.Null);
        (await SummaryAsync(host)).ShouldBe((1, 1, (double?)null));
    }

    [Fact]
    public async Task A_correction_makes_the_same_message_in_a_new_conversation_answered_with_it()
    {
        await using var control = new CerebrumHost(_directory.File("control.db"));
        await using var corrected = new CerebrumHost(_directory.File("corrected.db"));
        await TeachAsync(control, 120);
        await TeachAsync(corrected, 120);
        var controlFirst = await control.ChatAsync(Probe, "first:1");
        var correctedFirst = await corrected.ChatAsync(Probe, "first:1");
        correctedFirst.Response.ShouldBe(controlFirst.Response, "both learners saw the same exchanges");
        correctedFirst.Response.ShouldNotBe(Correction);

        await FeedbackAsync(corrected, new { exchange_id = "first:1", score = 0.1, correction = Correction });

        var controlAgain = await control.ChatAsync(Probe, "second:1");
        var correctedAgain = await corrected.ChatAsync(Probe, "second:1");
        correctedAgain.Response.ShouldBe(Correction);
        controlAgain.Response.ShouldNotBe(Correction, "only the correction can have taught that reply");
    }

    [Fact]
    public async Task A_correction_is_used_for_a_close_rewording_of_the_message()
    {
        await using var host = new CerebrumHost(_directory.File("cerebrum.db"));
        await TeachAsync(host, 120);
        await host.ChatAsync(Probe, "first:1");
        await FeedbackAsync(host, new { exchange_id = "first:1", correction = Correction });

        (await host.ChatAsync("So what do you usually eat for breakfast?", "other:1")).Response.ShouldBe(Correction);
        (await host.ChatAsync("Do you have a pet?", "other:2")).Response.ShouldNotBe(Correction, "an unrelated message keeps its own answers");
    }

    [Fact]
    public async Task Feedback_and_corrections_survive_a_restart()
    {
        var path = _directory.File("cerebrum.db");
        await using (var host = new CerebrumHost(path))
        {
            await TeachAsync(host, 60);
            await host.ChatAsync(Probe, "first:1");
            await FeedbackAsync(host, new { exchange_id = "first:1", score = 0.0, correction = Correction });
            await FeedbackAsync(host, new { exchange_id = "teach:5", score = 0.9 });
            await FeedbackAsync(host, new { exchange_id = "teach:5", score = 0.6 });
        }

        await using (var host = new CerebrumHost(path))
        {
            (await SummaryAsync(host)).ShouldBe((2, 1, (double?)0.3));
            (await host.ChatAsync(Probe, "after:1")).Response.ShouldBe(Correction);
            var repeat = await FeedbackAsync(host, new { exchange_id = "teach:5", score = 0.6 });
            repeat.GetProperty("outcome").GetString().ShouldBe("unchanged");
        }
    }

    [Fact]
    public async Task A_version_one_file_keeps_its_ratings_mapped_to_zero_to_one()
    {
        var path = _directory.File("cerebrum.db");
        await using (var connection = new SqliteConnection($"Data Source={path}"))
        {
            // The schema as version 1 wrote it (no user_version, the score in -1..1 on the exchange).
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = """
                CREATE TABLE exchanges (seq INTEGER PRIMARY KEY AUTOINCREMENT, exchange_id TEXT NOT NULL UNIQUE, conversation_id TEXT NULL,
                    message TEXT NOT NULL, response TEXT NOT NULL, phase TEXT NOT NULL, strategy TEXT NOT NULL, relevance REAL NOT NULL,
                    verbatim INTEGER NOT NULL, feedback REAL NULL, created_at TEXT NOT NULL);
                CREATE TABLE pairs (id INTEGER PRIMARY KEY AUTOINCREMENT, stimulus TEXT NOT NULL, response TEXT NOT NULL, kind TEXT NOT NULL,
                    exchange_seq INTEGER NOT NULL REFERENCES exchanges(seq));
                CREATE VIRTUAL TABLE pairs_fts USING fts5(stimulus, content='pairs', content_rowid='id', tokenize='porter unicode61');
                INSERT INTO exchanges (exchange_id, conversation_id, message, response, phase, strategy, relevance, verbatim, feedback, created_at)
                VALUES ('old:1', 'old', 'Rain falls from clouds.', 'Clouds?', 'observing', 'echo', 0.5, 0, -1.0, '2026-01-01T00:00:00Z'),
                       ('old:2', 'old', 'Snow is cold.', 'Cold?', 'observing', 'echo', 0.5, 0, 0.5, '2026-01-01T00:00:01Z'),
                       ('old:3', 'old', 'Wind moves the air.', 'Air?', 'observing', 'echo', 0.5, 0, NULL, '2026-01-01T00:00:02Z');
                """;
            await command.ExecuteNonQueryAsync();
        }

        SqliteConnection.ClearAllPools();
        await using var host = new CerebrumHost(path);

        (await host.StatusAsync()).GetProperty("observations").GetInt64().ShouldBe(3);
        (await SummaryAsync(host)).ShouldBe((2, 0, (double?)0.375));
        await using var check = new SqliteConnection($"Data Source={path}");
        await check.OpenAsync();
        await using var version = check.CreateCommand();
        version.CommandText = "PRAGMA user_version";
        ((long)(await version.ExecuteScalarAsync())!).ShouldBe(Infrastructure.StoreSchema.CurrentVersion);
    }

    public void Dispose() => _directory.Dispose();
}
