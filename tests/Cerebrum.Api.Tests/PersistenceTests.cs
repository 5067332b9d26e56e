namespace Cerebrum.Api.Tests;

public sealed class PersistenceTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task A_new_host_on_the_same_file_keeps_count_vocabulary_and_metrics()
    {
        var path = _directory.File("cerebrum.db");
        System.Text.Json.JsonElement before;
        await using (var host = new CerebrumHost(path))
        {
            for (var i = 1; i <= 25; i++)
            {
                await host.ChatAsync($"The heart pumps blood around the body, beat {i}. Lungs bring in air.", $"p:{i}");
            }

            before = await host.StatusAsync();
        }

        await using (var host = new CerebrumHost(path))
        {
            var after = await host.StatusAsync();
            after.GetProperty("observations").GetInt64().ShouldBe(25);
            after.GetProperty("vocabulary").GetInt32().ShouldBe(before.GetProperty("vocabulary").GetInt32());
            var metricsBefore = before.GetProperty("metrics");
            var metricsAfter = after.GetProperty("metrics");
            foreach (var name in new[] { "held_out_perplexity", "ngram_types", "tokens", "distinct_1", "distinct_2", "earlier_turn_copy_share", "top_reply_share" })
            {
                metricsAfter.GetProperty(name).GetRawText().ShouldBe(metricsBefore.GetProperty(name).GetRawText(), name);
            }

            (await host.ChatAsync("The heart has four chambers.", "p:26")).Observations.ShouldBe(26);
        }
    }

    public void Dispose() => _directory.Dispose();
}
