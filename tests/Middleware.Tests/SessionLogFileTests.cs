using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Middleware.Infrastructure;
using Middleware.Sessions;

namespace Middleware.Tests;

/// <summary>The session file: whole and valid whenever it is read, written at a cost per exchange that does not grow, repaired from the store at a restart.</summary>
public sealed class SessionLogFileTests : PeerDoublesTest
{
    [Fact]
    public async Task The_document_holds_the_header_one_line_per_exchange_and_the_end_fields()
    {
        var writer = new SessionLogWriter(Options.Create(new MiddlewareOptions { TrainingLogsPath = Files.LogsPath }));
        var session = NewSession() with { Exchanges = 3, Status = SessionStatus.Completed, EndReason = "completed", EndedAt = DateTimeOffset.UtcNow };
        var exchanges = Enumerable.Range(1, 3).Select(i => Exchange(session, i)).ToAsyncEnumerable();

        var bytes = await writer.WriteAsync(session, exchanges, durable: true, CancellationToken.None);

        var path = Path.Combine(Files.LogsPath, session.LogFile);
        new FileInfo(path).Length.ShouldBe(bytes);
        var log = ReadLog(path);
        log.GetProperty("session_id").GetGuid().ShouldBe(session.SessionId);
        log.GetProperty("config").GetProperty("max_exchanges").GetInt32().ShouldBe(100);
        log.GetProperty("exchanges").EnumerateArray().Select(e => e.GetProperty("sequence").GetInt32()).ShouldBe([1, 2, 3]);
        log.GetProperty("exchanges")[0].GetProperty("teacher").GetString().ShouldBe("Teacher turn about the weather, \"quoted\".");
        log.GetProperty("status").GetString().ShouldBe("completed");
        log.GetProperty("ended_at").ValueKind.ShouldBe(JsonValueKind.String);
        (await File.ReadAllLinesAsync(path)).Count(l => l.TrimStart().StartsWith("{\"sequence\":", StringComparison.Ordinal)).ShouldBe(3);
        Directory.GetFiles(Files.LogsPath).ShouldHaveSingleItem("no temporary file is left behind");
    }

    [Fact]
    public async Task Bytes_written_per_exchange_stay_flat_as_the_session_grows()
    {
        var options = Options.Create(new MiddlewareOptions { DatabasePath = Files.DatabasePath, TrainingLogsPath = Files.LogsPath });
        var store = new SessionStore(options);
        await store.InitializeAsync(CancellationToken.None);
        var writer = new SessionLogWriter(options);
        var session = NewSession();
        await store.CreateSessionAsync(session, CancellationToken.None);
        await using var file = new SessionLogFile(writer, store, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        var path = Path.Combine(Files.LogsPath, session.LogFile);

        var perBlock = new List<double>();
        for (var block = 0; block < 4; block++)
        {
            var before = file.BytesWritten;
            for (var i = 0; i < 500; i++)
            {
                var sequence = session.Exchanges + 1;
                await store.AddTeacherTurnAsync(session.SessionId, sequence, "weather", $"Teacher turn {sequence:D5} about the weather.", DateTimeOffset.UtcNow, CancellationToken.None);
                (await store.CompleteExchangeAsync(session.SessionId, sequence, $"I heard {sequence:D5}.", "babbling", sequence, DateTimeOffset.UtcNow, CancellationToken.None)).ShouldBeTrue();
                session = session with { Exchanges = sequence };
                file.ExchangeStored(session);
                // Wait out each rewrite so that none is skipped for being busy: the most the schedule can write.
                await file.WhenIdleAsync();
            }

            var lineBytes = (double)new FileInfo(path).Length / session.Exchanges;
            perBlock.Add((file.BytesWritten - before) / 500.0 / lineBytes);
        }

        // In exchange lines written per exchange stored: the same bound in the first 500 and the last.
        perBlock.ShouldAllBe(lines => lines <= 2.0 * SessionLogFile.RewriteFraction, string.Join(", ", perBlock));
        perBlock[^1].ShouldBeLessThanOrEqualTo(perBlock[1] * 1.5, string.Join(", ", perBlock));
        ReadLog(path).GetProperty("exchanges").GetArrayLength().ShouldBeGreaterThanOrEqualTo(2000 - (2000 / SessionLogFile.RewriteFraction));

        await file.WriteNowAsync(session);
        ReadLog(path).GetProperty("exchanges").GetArrayLength().ShouldBe(2000);
    }

    [Fact]
    public async Task The_file_parses_as_a_whole_session_every_time_it_is_read_while_a_session_runs_at_delay_0()
    {
        await using var host = MiddlewareHost.Start(Files, Cerebrum.Address, Llm.Address);
        var id = await host.StartSessionAsync(new { max_exchanges = 150, delay = 0 });
        var file = Path.Combine(Files.LogsPath, (await host.SessionAsync(id)).Str("log_file"));

        var reads = 0;
        var lastCount = 0;
        for (var i = 0; i < 5_000 && lastCount < 150; i++)
        {
            var log = ReadLog(file);
            var sequences = log.GetProperty("exchanges").EnumerateArray().Select(e => e.GetProperty("sequence").GetInt32()).ToList();
            sequences.ShouldBe(Enumerable.Range(1, sequences.Count), $"read {i}");
            sequences.Count.ShouldBeGreaterThanOrEqualTo(lastCount, "the file never goes back");
            lastCount = sequences.Count;
            reads++;
        }

        var session = await host.WaitForSessionAsync(id, s => s.Str("status") == "completed");
        session.Int("exchanges").ShouldBe(150);
        var final = ReadLog(file);
        final.GetProperty("exchanges").GetArrayLength().ShouldBe(150);
        final.GetProperty("status").GetString().ShouldBe("completed");
        reads.ShouldBeGreaterThan(1);
    }

    [Fact]
    public async Task A_file_left_torn_by_a_crash_is_rebuilt_from_the_store_when_the_session_resumes()
    {
        const int max = 30;
        Guid id;
        string file;
        await using (var first = MiddlewareHost.Start(Files, Cerebrum.Address, Llm.Address))
        {
            id = await first.StartSessionAsync(new { max_exchanges = max, delay = 0.05 });
            await first.WaitForSessionAsync(id, s => s.Int("exchanges") >= 3);
            file = Path.Combine(Files.LogsPath, (await first.SessionAsync(id)).Str("log_file"));
        }

        // Whatever a crash or a disk incident leaves, e.g. a document cut short.
        var text = await File.ReadAllTextAsync(file);
        await File.WriteAllTextAsync(file, text[..(text.Length - 20)]);
        Should.Throw<JsonException>(() => ReadLog(file));

        await using var second = MiddlewareHost.Start(Files, Cerebrum.Address, Llm.Address);
        (await second.WaitForSessionAsync(id, s => s.Str("status") == "completed")).Int("exchanges").ShouldBe(max);
        var log = ReadLog(file);
        log.GetProperty("exchanges").EnumerateArray().Select(e => e.GetProperty("exchange_id").GetString())
            .ShouldBe(Enumerable.Range(1, max).Select(i => $"{id}:{i}"));
        log.GetProperty("status").GetString().ShouldBe("completed");
        Cerebrum.Observations.ShouldBe(max);
    }

    private static JsonElement ReadLog(string path)
    {
        // Read as any reader would, sharing the file with the writer.
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        using var document = JsonDocument.Parse(reader.ReadToEnd());
        return document.RootElement.Clone();
    }

    private static SessionRecord NewSession() => new(
        Guid.NewGuid(), SessionStatus.Running, new SessionConfig(100, 0, ["weather"], 10), DateTimeOffset.UtcNow, null, null, 0,
        $"session_test_{Guid.NewGuid():N}.json", null, 0, null);

    private static SessionLogExchange Exchange(SessionRecord session, int sequence) => new(
        sequence, ExchangeRecord.IdFor(session.SessionId, sequence), "weather", "Teacher turn about the weather, \"quoted\".",
        "I heard: the weather.", "babbling", 1000 + sequence, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
}
