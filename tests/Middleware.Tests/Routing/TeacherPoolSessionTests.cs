using System.Text.Json;

namespace Middleware.Tests.Routing;

/// <summary>A session with a teacher pool asks LlmServer for each turn by provider and model, shows the routing of
/// every exchange, and keeps the per-teacher record in the SQLite file across a restart.</summary>
public sealed class TeacherPoolSessionTests : PeerDoublesTest
{
    private static readonly Dictionary<string, string?> RoundRobinPool = new()
    {
        ["Training:Teachers"] = "embedded, ollama/gemma3:1b",
        ["Training:Routing"] = "round-robin",
        ["Training:Review"] = "off",
    };

    [Fact]
    public async Task Round_robin_alternates_provider_and_model_and_the_record_survives_a_restart()
    {
        Guid id;
        await using (var host = MiddlewareHost.Start(Files, Cerebrum.Address, Llm.Address, RoundRobinPool))
        {
            id = await host.StartSessionAsync(new { max_exchanges = 6, delay = 0 });
            await host.WaitForSessionAsync(id, s => s.Str("status") == "completed");

            Llm.Received.Select(r => (r.Provider, r.Model)).ShouldBe(
                [("embedded", null), ("ollama", "gemma3:1b"), ("embedded", null), ("ollama", "gemma3:1b"), ("embedded", null), ("ollama", "gemma3:1b")]);

            var log = await host.GetJsonAsync($"/api/training/log?session_id={id}");
            log.GetProperty("exchanges").EnumerateArray().Select(e => e.GetProperty("routing").Str("teacher"))
                .ShouldBe(["embedded", "ollama/gemma3:1b", "embedded", "ollama/gemma3:1b", "embedded", "ollama/gemma3:1b"]);
            log.GetProperty("exchanges")[0].GetProperty("routing").Str("strategy").ShouldBe("round-robin");
        }

        await using (var restarted = MiddlewareHost.Start(Files, Cerebrum.Address, Llm.Address, RoundRobinPool))
        {
            var record = await restarted.GetJsonAsync($"/api/training/teachers?session_id={id}");
            var teachers = record.GetProperty("teachers").EnumerateArray().ToDictionary(t => t.Str("teacher"));
            teachers.Keys.ShouldBe(["embedded", "ollama/gemma3:1b"], ignoreOrder: true);
            teachers["embedded"].Int("turns").ShouldBe(3);
            teachers["ollama/gemma3:1b"].Int("turns").ShouldBe(3);
            teachers["embedded"].GetProperty("share_recent").GetDouble().ShouldBe(0.5);
            teachers["embedded"].GetProperty("by_topic").EnumerateObject().Single().Value.Int("turns").ShouldBe(3);
            record.GetProperty("timeline").GetArrayLength().ShouldBe(6);
        }
    }

    [Fact]
    public async Task A_session_without_a_pool_leaves_the_choice_to_llmserver_as_before()
    {
        await using var host = MiddlewareHost.Start(Files, Cerebrum.Address, Llm.Address, new Dictionary<string, string?> { ["Training:Review"] = "off" });
        var id = await host.StartSessionAsync(new { max_exchanges = 3, delay = 0 });
        await host.WaitForSessionAsync(id, s => s.Str("status") == "completed");

        Llm.Received.ShouldAllBe(r => r.Provider == null && r.Model == null);
        var log = await host.GetJsonAsync($"/api/training/log?session_id={id}");
        foreach (var exchange in log.GetProperty("exchanges").EnumerateArray())
        {
            (!exchange.TryGetProperty("routing", out var routing) || routing.ValueKind == JsonValueKind.Null).ShouldBeTrue(exchange.ToString());
        }
    }

    [Fact]
    public async Task A_session_may_name_its_own_teachers_and_the_first_strategy_falls_back_only_on_failure()
    {
        await using var host = MiddlewareHost.Start(Files, Cerebrum.Address, Llm.Address, new Dictionary<string, string?> { ["Training:Review"] = "off" });
        var id = await host.StartSessionAsync(new { max_exchanges = 3, delay = 0, teachers = new[] { "OpenAI/gpt-4o-mini", "embedded" }, routing = "first" });
        await host.WaitForSessionAsync(id, s => s.Str("status") == "completed");

        Llm.Received.ShouldAllBe(r => r.Provider == "openai" && r.Model == "gpt-4o-mini");
    }

    [Fact]
    public async Task Topics_adaptive_is_accepted_and_keeps_each_topic_for_the_switch_interval()
    {
        await using var host = MiddlewareHost.Start(Files, Cerebrum.Address, Llm.Address, new Dictionary<string, string?> { ["Training:Review"] = "off" });
        var id = await host.StartSessionAsync(new { max_exchanges = 6, delay = 0, topics = "adaptive", topic_switch_interval = 3 });
        await host.WaitForSessionAsync(id, s => s.Str("status") == "completed");

        var topics = (await host.GetJsonAsync($"/api/training/log?session_id={id}")).GetProperty("exchanges").EnumerateArray().Select(e => e.Str("topic")).ToList();
        topics.Count.ShouldBe(6);
        topics.Take(3).Distinct().ShouldHaveSingleItem();
        topics.Skip(3).Distinct().ShouldHaveSingleItem();
    }
}
