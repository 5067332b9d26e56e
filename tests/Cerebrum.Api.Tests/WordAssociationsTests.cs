using Cerebrum.Api.Infrastructure;
using Cerebrum.Api.Learning;

namespace Cerebrum.Api.Tests;

/// <summary>The word associations learned from every pair predict the words of an answer no retrieved stimulus holds.</summary>
public sealed class WordAssociationsTests
{
    // Conversations about breakfast answered with the time it is served, among others answered otherwise: no stimulus
    // is the probe's wording, so only the words' associations over all pairs connect it with "served at seven".
    private static readonly string[][] Conversations =
    [
        ["Is breakfast included in the price?", "Yes, breakfast is served at seven in the hall."],
        ["Where do we have breakfast tomorrow?", "Breakfast is served at seven downstairs."],
        ["Can I get breakfast in my room?", "Of course, it is served at seven."],
        ["How do I get to the station?", "Take the second street on the left."],
        ["Do you like football?", "I watch every match with my brother."],
        ["What did you think of the film?", "The music was better than the story."],
    ];

    private static LearnerMemory Taught()
    {
        var memory = new LearnerMemory(4, 10, 500);
        var sequence = 0;
        for (var c = 0; c < Conversations.Length; c++)
        {
            for (var t = 0; t < Conversations[c].Length; t++)
            {
                sequence++;
                memory.Observe(new StoredExchange(sequence, $"c{c}:{t + 1}", $"c{c}", Conversations[c][t], "hmm ?", "observing", "echo", 0, false));
            }
        }

        return memory;
    }

    private static double ExpectedF1(LearnerMemory memory, string message, string reply)
    {
        var expectation = memory.Associations.Expect(memory.WeightedWords(memory.MessageIds(Tokenizer.Tokenize(message))));
        return expectation.F1(memory.Bag(Tokenizer.Tokenize(reply)));
    }

    [Fact]
    public void An_answer_with_the_words_that_followed_the_message_words_is_expected_to_fit_better()
    {
        var memory = Taught();
        const string probe = "And breakfast, is it early?";
        var fitting = ExpectedF1(memory, probe, "It is served at seven.");
        var unrelated = ExpectedF1(memory, probe, "My brother watched the match.");
        fitting.ShouldBeGreaterThan(2 * unrelated, $"fitting {fitting:0.000}, unrelated {unrelated:0.000}");

        // The same reply is expected to fit a message about something else less: the estimate follows the message.
        ExpectedF1(memory, "Do you like football too?", "It is served at seven.").ShouldBeLessThan(fitting);
    }

    [Fact]
    public void The_same_observations_in_the_same_order_give_the_same_numbers()
    {
        var first = Taught();
        var second = Taught();
        first.Associations.MeanResponseLength.ShouldBeGreaterThan(0);
        ExpectedF1(second, "And breakfast, is it early?", "It is served at seven.")
            .ShouldBe(ExpectedF1(first, "And breakfast, is it early?", "It is served at seven."));
    }

    [Fact]
    public void A_common_words_kept_counts_are_exact_however_often_it_was_asked_about_before()
    {
        // "you" opens every stimulus, so its postings pass both the cached threshold and the 1,500-pair window.
        var asked = new LearnerMemory(4, 10, 500);
        var quiet = new LearnerMemory(4, 10, 500);
        const string probe = "Do you like tea or coffee?";
        for (var n = 1; n <= 2000; n++)
        {
            var stimulus = $"Do you want number {n % 37} today?";
            var response = $"I want {(n % 3 == 0 ? "tea" : "coffee")} with {n % 11} sugars.";
            foreach (var memory in new[] { asked, quiet })
            {
                memory.Observe(new StoredExchange(2 * n - 1, $"c{n}:1", $"c{n}", stimulus, "hmm ?", "observing", "echo", 0, false));
                memory.Observe(new StoredExchange(2 * n, $"c{n}:2", $"c{n}", response, "hmm ?", "observing", "echo", 0, false));
            }

            if (n % 97 == 0)
            {
                asked.Associations.Expect(asked.WeightedWords(asked.MessageIds(Tokenizer.Tokenize(probe))));
            }
        }

        var you = quiet.Vocabulary.Lookup("you");
        quiet.Pairs.Postings(you).Count.ShouldBeGreaterThan(WordAssociations.PairsPerWord, "the window must have moved");
        var fromAsked = asked.Associations.Expect(asked.WeightedWords(asked.MessageIds(Tokenizer.Tokenize(probe))));
        var fromQuiet = quiet.Associations.Expect(quiet.WeightedWords(quiet.MessageIds(Tokenizer.Tokenize(probe))));
        foreach (var word in new[] { "i", "want", "tea", "coffee", "sugars", "biscuits" })
        {
            var id = quiet.Lexicon.Ids([word])[0];
            fromAsked.Probability(id).ShouldBe(fromQuiet.Probability(id), 1e-12, word);
        }

        // Against the definition: tea answers a third of the newest 1,500 pairs whose stimulus holds "you".
        var tea = quiet.Lexicon.Ids(["tea"])[0];
        var postings = quiet.Pairs.Postings(you);
        var window = postings.Skip(postings.Count - WordAssociations.PairsPerWord).ToList();
        var together = window.Count(p => quiet.Pairs.ResponseOf(p.Pair).Sorted.Contains(tea));
        var prior = 2000 / 3 / (double)quiet.Pairs.Count;
        var alone = quiet.Associations.Expect([(you, 1.0)]).Probability(tea);
        alone.ShouldBe((together + 5 * prior) / (window.Count + 5), 1e-9);
    }
}
