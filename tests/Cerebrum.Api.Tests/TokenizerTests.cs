using Cerebrum.Api.Learning;

namespace Cerebrum.Api.Tests;

public sealed class TokenizerTests
{
    [Fact]
    public void Tokenize_lowercases_words_keeps_inner_apostrophes_and_sentence_punctuation()
    {
        Tokenizer.Tokenize("Don't worry, it's FINE! Rain’s coming?").ShouldBe(
            ["don't", "worry", ",", "it's", "fine", "!", "rain's", "coming", "?"]);
    }

    [Fact]
    public void Sentences_split_after_end_punctuation_and_drop_empty_ones()
    {
        var sentences = Tokenizer.Sentences("Hello there. How are you?? Fine");

        sentences.Select(s => string.Join(' ', s)).ShouldBe(["hello there .", "how are you ?", "fine"]);
    }

    [Fact]
    public void Detokenize_capitalises_sentence_starts_and_the_pronoun_i()
    {
        Tokenizer.Detokenize(["i", "like", "rain", ",", "do", "you", "?", "yes", "."]).ShouldBe("I like rain, do you? Yes.");
    }

    [Fact]
    public void Content_words_leave_out_stop_words_and_punctuation()
    {
        Tokenizer.ContentWords(Tokenizer.Tokenize("What is the weather like in the mountains?")).ShouldBe(["weather", "mountains"]);
    }
}
