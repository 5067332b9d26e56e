namespace Cerebrum.Api.Tests;

public sealed class IdempotencyTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task Repeated_key_returns_the_first_answer_and_counts_once()
    {
        await using var host = new CerebrumHost(_directory.File("cerebrum.db"));
        await host.ChatAsync("Volcanoes form where plates meet.", "session-a:1");

        var first = await host.ChatAsync("Magma rises through cracks in the crust.", "session-a:2");
        var again = await host.ChatAsync("A completely different message this time.", "session-a:2");

        again.ShouldBe(first);
        (await host.StatusAsync()).GetProperty("observations").GetInt64().ShouldBe(2);
    }

    [Fact]
    public async Task Concurrent_duplicates_of_one_key_are_learned_once_and_all_get_the_same_answer()
    {
        await using var host = new CerebrumHost(_directory.File("cerebrum.db"));
        await host.ChatAsync("Warm up message about weather.", "warm:1");

        var replies = await Task.WhenAll(Enumerable.Range(0, 16)
            .Select(_ => Task.Run(() => host.ChatAsync("Clouds are made of tiny droplets of water.", "dup:1"))));

        replies.Distinct().Count().ShouldBe(1);
        replies[0].Observations.ShouldBe(2);
        (await host.StatusAsync()).GetProperty("observations").GetInt64().ShouldBe(2);
    }

    [Fact]
    public async Task Parallel_distinct_exchanges_are_all_counted_with_unique_sequence_numbers()
    {
        await using var host = new CerebrumHost(_directory.File("cerebrum.db"));

        var replies = await Task.WhenAll(Enumerable.Range(1, 24)
            .Select(i => Task.Run(() => host.ChatAsync($"Parallel message {i} about oceans and waves.", $"par-{i % 3}:{i}"))));

        replies.Select(r => r.Observations).Order().ShouldBe(Enumerable.Range(1, 24).Select(i => (long)i));
        var status = await host.StatusAsync();
        status.GetProperty("observations").GetInt64().ShouldBe(24);
    }

    [Fact]
    public async Task Repeated_key_still_returns_the_first_answer_after_a_restart()
    {
        var path = _directory.File("cerebrum.db");
        ChatReply first;
        await using (var host = new CerebrumHost(path))
        {
            first = await host.ChatAsync("Trees drink water through their roots.", "restart:1");
        }

        await using (var host = new CerebrumHost(path))
        {
            (await host.ChatAsync("Something else entirely.", "restart:1")).ShouldBe(first);
            (await host.StatusAsync()).GetProperty("observations").GetInt64().ShouldBe(1);
        }
    }

    [Fact]
    public void Conversation_is_the_key_up_to_its_last_colon()
    {
        Learning.Learner.ConversationOf("3f2a:17").ShouldBe("3f2a");
        Learning.Learner.ConversationOf("a:b:2").ShouldBe("a:b");
        Learning.Learner.ConversationOf("plain-key").ShouldBeNull();
        Learning.Learner.ConversationOf(null).ShouldBeNull();
    }

    public void Dispose() => _directory.Dispose();
}
