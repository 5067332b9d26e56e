using System.Text.Json;

namespace Cerebrum.Api.Tests;

public sealed class LearningBehaviourTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private static async Task TeachAsync(CerebrumHost host, int exchanges, string session = "teach")
    {
        for (var n = 1; n <= exchanges; n++)
        {
            await host.ChatAsync(TeachingCorpus.Message(n), $"{session}:{n}");
        }
    }

    [Fact]
    public async Task Negative_feedback_changes_the_next_answer_to_the_same_message()
    {
        const string probe = "Do you like sunny days when it is warm?";
        await using var control = new CerebrumHost(_directory.File("control.db"));
        await using var rated = new CerebrumHost(_directory.File("rated.db"));
        await TeachAsync(control, 120);
        await TeachAsync(rated, 120);

        var controlFirst = await control.ChatAsync(probe, "probe-1");
        var ratedFirst = await rated.ChatAsync(probe, "probe-1");
        ratedFirst.Response.ShouldBe(controlFirst.Response, "both learners saw the same exchanges");

        using var feedback = await rated.Client.PostAsync("/api/feedback",
            new StringContent("""{"exchange_id": "probe-1", "score": 0.0}""", System.Text.Encoding.UTF8, "application/json"));
        feedback.EnsureSuccessStatusCode();

        var controlSecond = await control.ChatAsync(probe, "probe-2");
        var ratedSecond = await rated.ChatAsync(probe, "probe-2");

        // Both learners have now seen exactly the same messages; only the feedback differs.
        ratedSecond.Response.ShouldNotBe(controlSecond.Response, "feedback must shift the ranking");
        ratedSecond.Response.ShouldNotBe(ratedFirst.Response, "a rejected reply must lose its place");
    }

    [Fact]
    public async Task Phases_change_how_replies_are_made()
    {
        await using var host = new CerebrumHost(_directory.File("cerebrum.db"));
        var early = await host.ChatAsync("Do you like apples and fruit?", "early:1");
        await TeachAsync(host, 520);

        var late = await host.ChatAsync("Do you like apples and fruit?", "late:1");

        early.Phase.ShouldBe("observing");
        early.Response.Split(' ').Length.ShouldBeLessThanOrEqualTo(4, "an observing learner gives short echoes");
        late.Phase.ShouldBe("fluent");
        late.Response.ShouldNotBe(early.Response);
        var metrics = (await host.StatusAsync()).GetProperty("metrics");
        metrics.GetProperty("held_out_perplexity").GetDouble().ShouldBeGreaterThan(1);
        metrics.GetProperty("non_verbatim_share").GetDouble().ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task Held_out_perplexity_falls_as_the_learner_hears_more()
    {
        await using var host = new CerebrumHost(_directory.File("cerebrum.db"));
        await TeachAsync(host, 100);
        var early = (await host.StatusAsync()).GetProperty("metrics").GetProperty("held_out_perplexity").GetDouble();
        for (var n = 101; n <= 1100; n++)
        {
            await host.ChatAsync(TeachingCorpus.Message(n), $"teach:{n}");
        }

        var late = (await host.StatusAsync()).GetProperty("metrics").GetProperty("held_out_perplexity").GetDouble();

        late.ShouldBeLessThan(early);
    }

    [Fact]
    public async Task Parallel_learning_leaves_the_same_model_a_restart_rebuilds_from_disk()
    {
        var path = _directory.File("cerebrum.db");
        JsonElement live;
        await using (var host = new CerebrumHost(path))
        {
            await host.ChatAsync("warm up", "w:1");
            await Task.WhenAll(Enumerable.Range(1, 4).Select(session => Task.Run(async () =>
            {
                for (var n = 1; n <= 40; n++)
                {
                    await host.ChatAsync(TeachingCorpus.Message(n + session), $"s{session}:{n}");
                }
            })));
            live = await host.StatusAsync();
        }

        live.GetProperty("observations").GetInt64().ShouldBe(161);
        await using (var host = new CerebrumHost(path))
        {
            var rebuilt = await host.StatusAsync();
            rebuilt.GetProperty("observations").GetInt64().ShouldBe(161);
            rebuilt.GetProperty("vocabulary").GetInt32().ShouldBe(live.GetProperty("vocabulary").GetInt32());
            foreach (var name in new[] { "tokens", "ngram_types", "held_out_perplexity", "held_out_evaluated", "distinct_2", "mean_relevance" })
            {
                rebuilt.GetProperty("metrics").GetProperty(name).GetRawText()
                    .ShouldBe(live.GetProperty("metrics").GetProperty(name).GetRawText(), name);
            }
        }
    }

    [Fact]
    public async Task Restart_keeps_what_was_learned_so_the_same_question_gets_the_same_answer()
    {
        var path = _directory.File("cerebrum.db");
        ChatReply before;
        await using (var host = new CerebrumHost(path))
        {
            await TeachAsync(host, 150);
            before = await host.ChatAsync("What do you eat for breakfast?", "ask:1");
        }

        await using var restarted = new CerebrumHost(path);
        var fresh = new CerebrumHost(_directory.File("fresh.db"));
        await using (fresh)
        {
            var after = await restarted.ChatAsync("What do you eat for breakfast?", "ask:1b");
            var untaught = await fresh.ChatAsync("What do you eat for breakfast?", "ask:1");

            after.Phase.ShouldBe(before.Phase);
            after.Observations.ShouldBe(152);
            untaught.Phase.ShouldBe("observing");
            after.Response.ShouldNotBe(untaught.Response);
        }
    }

    public void Dispose() => _directory.Dispose();
}
