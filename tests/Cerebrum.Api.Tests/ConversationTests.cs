using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cerebrum.Api.Learning;

namespace Cerebrum.Api.Tests;

/// <summary>Replies follow from the message and the conversation, not from replaying an earlier turn.</summary>
public sealed class ConversationTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task A_reply_that_copies_the_previous_turn_is_not_chosen_when_a_fitting_one_exists()
    {
        const string previous = "Where can I leave my bicycle for the afternoon?";
        const string message = "When does the museum open on Sundays?";
        const string fitting = "On Sundays the museum opens at ten.";
        await using var host = new CerebrumHost(_directory.File("cerebrum.db"));
        // Twice the tempting pair (the question followed by the other question) and once the fitting answer.
        await TeachConversationAsync(host, "a", message, previous);
        await TeachConversationAsync(host, "b", message, previous);
        await TeachConversationAsync(host, "c", message, fitting);
        for (var n = 0; n < 20; n++)
        {
            await TeachConversationAsync(host, $"filler-{n}", MadeUpText.Sentence(n), MadeUpText.Sentence(n + 40));
        }

        await host.ChatAsync(previous, "probe:1");
        var reply = await host.ChatAsync(message, "probe:2");

        reply.Response.ShouldBe(fitting);
    }

    [Fact]
    public async Task A_reply_never_copies_the_message_or_an_earlier_turn_even_when_that_is_all_it_has_heard()
    {
        const string message = "Shall we take the early train tomorrow?";
        const string earlier = "I packed the bags for the trip.";
        await using var host = new CerebrumHost(_directory.File("cerebrum.db"));
        await TeachConversationAsync(host, "a", message, earlier);
        await TeachConversationAsync(host, "b", earlier, message);

        await host.ChatAsync(earlier, "probe:1");
        var reply = await host.ChatAsync(message, "probe:2");

        var words = WordOverlap.Words(reply.Response);
        WordOverlap.IsCopy(words, WordOverlap.Words(message)).ShouldBeFalse(reply.Response);
        WordOverlap.IsCopy(words, WordOverlap.Words(earlier)).ShouldBeFalse(reply.Response);
    }

    [Fact]
    public async Task Without_conversation_keys_no_single_reply_dominates()
    {
        await using var host = new CerebrumHost(_directory.File("cerebrum.db"));
        for (var n = 0; n < 300; n++)
        {
            await host.ChatAsync(MadeUpText.Sentence(n));
        }

        var replies = new List<string>();
        for (var n = 300; n < 480; n++)
        {
            replies.Add((await host.ChatAsync(MadeUpText.Sentence(n))).Response);
        }

        var top = replies.GroupBy(r => r).Max(g => g.Count()) / (double)replies.Count;
        top.ShouldBeLessThanOrEqualTo(0.05, $"the most frequent reply answered {top:P0} of the messages");
        var metrics = (await host.StatusAsync()).GetProperty("metrics");
        metrics.GetProperty("top_reply_share").GetDouble().ShouldBeLessThanOrEqualTo(0.05);
        metrics.GetProperty("message_copy_share").GetDouble().ShouldBe(0);
    }

    [Fact]
    public async Task Status_counts_replies_that_copy_the_message_or_an_earlier_turn()
    {
        await using var host = new CerebrumHost(_directory.File("cerebrum.db"));

        // An untaught learner echoes the message's three rarest content words as a question.
        await host.ChatAsync("Lanterns glow softly in the dark garden at night.", "s:1"); // three of nine words: no copy
        await host.ChatAsync("Lanterns.", "s:2"); // "Lanterns?": a copy of the message
        await host.ChatAsync("Tell me about lanterns.", "s:3"); // "Lanterns?" again: a copy of the learner's earlier turn

        var metrics = (await host.StatusAsync()).GetProperty("metrics");
        metrics.GetProperty("message_copy_share").GetDouble().ShouldBe(0.3333);
        metrics.GetProperty("earlier_turn_copy_share").GetDouble().ShouldBe(0.3333);
        metrics.GetProperty("replies_measured").GetInt32().ShouldBe(3);
    }

    private static async Task TeachConversationAsync(CerebrumHost host, string conversation, params string[] turns)
    {
        for (var i = 0; i < turns.Length; i++)
        {
            await host.ChatAsync(turns[i], $"{conversation}:{i + 1}");
        }
    }

    public void Dispose() => _directory.Dispose();
}
