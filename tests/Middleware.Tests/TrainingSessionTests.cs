using System.Net.Http.Json;
using System.Text.Json;
using Middleware.Tests.Doubles;

namespace Middleware.Tests;

public sealed class TrainingSessionTests : PeerDoublesTest
{
    [Fact]
    public async Task A_short_session_completes_with_exact_counts_in_status_log_file_and_learner()
    {
        await using var host = MiddlewareHost.Start(Files, Cerebrum.Address, Llm.Address);

        var id = await host.StartSessionAsync(new { max_exchanges = 7, delay = 0.01, topics = new[] { "weather", "food" }, topic_switch_interval = 3 });
        var session = await host.WaitForSessionAsync(id, s => s.Str("status") == "completed");

        session.Int("exchanges").ShouldBe(7);
        Cerebrum.Observations.ShouldBe(7);
        Cerebrum.Keys.Order().ShouldBe(Enumerable.Range(1, 7).Select(i => $"{id}:{i}").Order());
        Llm.Requests.ShouldBe(7);

        var status = await host.GetJsonAsync("/api/training/status");
        status.GetProperty("running").GetBoolean().ShouldBeFalse();
        status.Str("session_id").ShouldBe(id.ToString());
        status.Int("exchanges").ShouldBe(7);

        var log = await host.GetJsonAsync("/api/training/log");
        log.Str("status").ShouldBe("completed");
        var exchanges = log.GetProperty("exchanges").EnumerateArray().ToList();
        exchanges.Select(e => e.Int("sequence")).ShouldBe(Enumerable.Range(1, 7));
        exchanges.Select(e => e.Str("topic")).ShouldBe(["weather", "weather", "weather", "food", "food", "food", "weather"]);
        exchanges.ShouldAllBe(e => e.Str("teacher").StartsWith("Teacher turn") && e.Str("learner").StartsWith("I heard"));

        var file = Directory.GetFiles(Files.LogsPath, "session_*.json").ShouldHaveSingleItem();
        Path.GetFileName(file).ShouldMatch(@"^session_\d{8}_\d{6}\.json$");
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(file));
        document.RootElement.Str("session_id").ShouldBe(id.ToString());
        document.RootElement.GetProperty("exchanges").GetArrayLength().ShouldBe(7);
        document.RootElement.GetProperty("config").Int("max_exchanges").ShouldBe(7);
        document.RootElement.GetProperty("ended_at").ValueKind.ShouldBe(JsonValueKind.String);
    }

    [Fact]
    public async Task The_teacher_receives_the_topic_and_the_learners_last_reply_with_history()
    {
        await using var host = MiddlewareHost.Start(Files, Cerebrum.Address, Llm.Address);

        var id = await host.StartSessionAsync(new { max_exchanges = 3, delay = 0, topic = "cooking" });
        await host.WaitForSessionAsync(id, s => s.Str("status") == "completed");

        var requests = Llm.Received.ToList();
        requests.Count.ShouldBe(3);
        requests.ShouldAllBe(r => r.Topic == "cooking");
        requests[0].Message.ShouldContain("cooking");
        (requests[0].History ?? []).ShouldBeEmpty();
        requests[1].Message.ShouldBe("I heard: Teacher turn 1 about cooking.");
        requests[2].History!.Select(t => t.Role).ShouldBe(["assistant", "user", "assistant"]);
    }

    [Fact]
    public async Task Sessions_started_together_run_side_by_side_with_one_log_file_each()
    {
        await using var host = MiddlewareHost.Start(Files, Cerebrum.Address, Llm.Address);

        var ids = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => host.StartSessionAsync(new { max_exchanges = 4, delay = 0.01 })));
        foreach (var id in ids)
        {
            (await host.WaitForSessionAsync(id, s => s.Str("status") == "completed")).Int("exchanges").ShouldBe(4);
        }

        Cerebrum.Observations.ShouldBe(12);
        var files = Directory.GetFiles(Files.LogsPath, "session_*.json").Select(Path.GetFileName).ToList();
        files.Count.ShouldBe(3);
        files.ShouldAllBe(f => System.Text.RegularExpressions.Regex.IsMatch(f!, @"^session_\d{8}_\d{6}(_\d+)?\.json$"));
        var sessions = await host.GetJsonAsync("/api/training/sessions");
        sessions.GetProperty("sessions").EnumerateArray().Select(s => s.Str("log_file")).Order().ShouldBe(files.Order());
    }
}
