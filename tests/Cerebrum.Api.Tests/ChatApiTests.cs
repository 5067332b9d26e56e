using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Cerebrum.Api.Tests;

public sealed class ChatApiTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task Chat_answers_with_phase_count_and_a_generated_exchange_id()
    {
        await using var host = new CerebrumHost(_directory.File("cerebrum.db"));

        var reply = await host.ChatAsync("Hello! How are plants able to make food from light?");

        reply.Response.ShouldNotBeNullOrWhiteSpace();
        reply.Phase.ShouldBe("observing");
        reply.Observations.ShouldBe(1);
        reply.ExchangeId.ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public async Task Uptime_counts_from_start_up_not_from_the_first_status_request()
    {
        await using var host = new CerebrumHost(_directory.File("cerebrum.db"));
        await host.ChatAsync("Good morning, the sun is out today.");
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        var status = await host.StatusAsync();

        status.GetProperty("uptime_seconds").GetDouble().ShouldBeGreaterThanOrEqualTo(1.5);
    }

    [Fact]
    public async Task Chat_counts_every_new_exchange_and_status_reports_it()
    {
        await using var host = new CerebrumHost(_directory.File("cerebrum.db"));

        for (var i = 1; i <= 3; i++)
        {
            (await host.ChatAsync($"Rivers carry water to the sea, message {i}.", $"s:{i}")).Observations.ShouldBe(i);
        }

        var status = await host.StatusAsync();
        status.GetProperty("observations").GetInt64().ShouldBe(3);
        status.GetProperty("phase").GetString().ShouldBe("observing");
        status.GetProperty("vocabulary").GetInt32().ShouldBeGreaterThan(5);
        status.GetProperty("uptime_seconds").GetDouble().ShouldBeGreaterThanOrEqualTo(0);
        var metrics = status.GetProperty("metrics");
        foreach (var name in new[] { "held_out_perplexity", "distinct_1", "distinct_2", "non_verbatim_share", "mean_relevance" })
        {
            metrics.TryGetProperty(name, out _).ShouldBeTrue(name);
        }
    }

    [Fact]
    public async Task Chat_creates_the_database_directory_and_uses_write_ahead_logging()
    {
        var path = Path.Combine(_directory.Path, "nested", "deeper", "cerebrum.db");
        await using (var host = new CerebrumHost(path))
        {
            await host.ChatAsync("The moon pulls the tides.");
        }

        File.Exists(path).ShouldBeTrue();
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        ((string)(await command.ExecuteScalarAsync())!).ShouldBe("wal");
    }

    [Theory]
    [InlineData(49, "observing")]
    [InlineData(50, "synthesizing")]
    [InlineData(99, "synthesizing")]
    [InlineData(100, "developing")]
    [InlineData(499, "developing")]
    [InlineData(500, "fluent")]
    public void Phase_follows_the_observation_count(long observations, string phase) =>
        Learning.LearnerPhases.ToWire(Learning.LearnerPhases.FromObservations(observations)).ShouldBe(phase);

    [Fact]
    public async Task Phase_in_the_reply_changes_after_fifty_observations()
    {
        await using var host = new CerebrumHost(_directory.File("cerebrum.db"));
        ChatReply? last = null;
        for (var i = 1; i <= 51; i++)
        {
            last = await host.ChatAsync($"Stars are made of hot gas, fact number {i}.", $"phase:{i}");
            if (i == 50)
            {
                last.Phase.ShouldBe("observing");
            }
        }

        last!.Phase.ShouldBe("synthesizing");
        last.Observations.ShouldBe(51);
        (await host.StatusAsync()).GetProperty("phase").GetString().ShouldBe("synthesizing");
    }

    [Fact]
    public async Task Feedback_for_an_observed_exchange_is_accepted()
    {
        await using var host = new CerebrumHost(_directory.File("cerebrum.db"));
        var reply = await host.ChatAsync("Bees carry pollen between flowers.", "fb:1");
        var client = host.Client;

        using var scored = await client.PostAsJsonAsync("/api/feedback", new { exchange_id = reply.ExchangeId, score = 0.5 });
        using var approved = await client.PostAsJsonAsync("/api/feedback", new { exchange_id = reply.ExchangeId, approved = false });

        scored.StatusCode.ShouldBe(HttpStatusCode.OK);
        approved.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await approved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("score").GetDouble().ShouldBe(0.0, "denied is the lowest score");
    }

    public void Dispose() => _directory.Dispose();
}
