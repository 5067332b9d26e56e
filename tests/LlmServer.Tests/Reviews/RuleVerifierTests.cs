using LlmServer.Reviews;
using LlmServer.Teachers;
using LlmServer.Teachers.Embedded;

namespace LlmServer.Tests.Reviews;

public sealed class RuleVerifierTests
{
    private static readonly TopicLibrary Library = new();
    private static readonly RuleVerifier Rules = new(Library, new BetterReplyWriter(Library));

    private static Review Review(string teacher, string reply, string? topic = "food and cooking", params (string Role, string Content)[] history) =>
        Rules.Review(new ReviewInput(topic, teacher, reply, history.Select(t => new TeacherTurn(t.Role, t.Content)).ToList()));

    [Fact]
    public void A_reply_that_answers_the_question_in_a_sentence_is_good()
    {
        var review = Review("Do you like spicy food?", "Yes, I like spicy food with rice.");

        review.Verdict.ShouldBe(ReviewRubric.Good, string.Join(" ", review.Reasons));
        review.Score.ShouldBeGreaterThanOrEqualTo(ReviewRubric.GoodFrom);
        review.Dimensions.Keys.ShouldBe(ReviewRubric.Dimensions, ignoreOrder: true);
        review.Reviewer.ShouldBe(RuleVerifier.ReviewerName);
    }

    [Fact]
    public void An_empty_reply_scores_zero()
    {
        var review = Review("What is your favorite food?", "   ");

        review.Score.ShouldBe(0);
        review.Verdict.ShouldBe(ReviewRubric.Poor);
        review.Reasons.ShouldContain(r => r.Contains("empty"));
    }

    [Fact]
    public void An_echo_of_the_teachers_message_is_poor_however_fluent()
    {
        var review = Review("Let's talk about food today. What is your favorite food?", "What is your favorite food?");

        review.Score.ShouldBeLessThanOrEqualTo(RuleVerifier.CopyCap);
        review.Verdict.ShouldBe(ReviewRubric.Poor);
        review.Dimensions[ReviewRubric.Novelty].ShouldBe(0);
        review.Reasons.ShouldContain(r => r.Contains("repeats the teacher's message"));
    }

    [Fact]
    public void A_copy_of_an_earlier_teacher_turn_is_poor()
    {
        var review = Review("What time is breakfast served?", "Can I pay by credit card.", "travel",
            ("assistant", "Can I pay by credit card?"), ("user", "Yes, you can."));

        review.Verdict.ShouldBe(ReviewRubric.Poor);
        review.Reasons.ShouldContain(r => r.Contains("copies an earlier turn"));
    }

    [Fact]
    public void Repeating_the_learners_own_recent_reply_is_poor()
    {
        var review = Review("What do you eat for lunch?", "I like bread and cheese.", "food",
            ("assistant", "What is your favorite food?"), ("user", "I like bread and cheese."), ("assistant", "Bread is good!"));

        review.Verdict.ShouldBe(ReviewRubric.Poor);
        review.Reasons.ShouldContain(r => r.Contains("own recent reply"));
    }

    [Fact]
    public void An_off_topic_reply_loses_on_topic_and_relevance()
    {
        var onTopic = Review("What did you eat for breakfast today?", "I ate bread and eggs for breakfast.");
        var offTopic = Review("What did you eat for breakfast today?", "My car is blue and very fast.");

        offTopic.Dimensions[ReviewRubric.OnTopic].ShouldBeLessThan(onTopic.Dimensions[ReviewRubric.OnTopic]);
        offTopic.Dimensions[ReviewRubric.Relevance].ShouldBeLessThan(onTopic.Dimensions[ReviewRubric.Relevance]);
        offTopic.Score.ShouldBeLessThan(onTopic.Score);
        offTopic.Reasons.ShouldContain(r => r.Contains("off the topic"));
    }

    [Fact]
    public void Too_short_and_too_long_replies_lose_fluency()
    {
        var good = Review("Do you like fruit?", "Yes, I like apples and bananas.");
        var short_ = Review("Do you like fruit?", "Fruit.");
        var long_ = Review("Do you like fruit?", string.Join(' ', Enumerable.Repeat("I like apples and I like bananas and", 8)) + " pears.");

        short_.Dimensions[ReviewRubric.Fluency].ShouldBeLessThan(good.Dimensions[ReviewRubric.Fluency]);
        short_.Reasons.ShouldContain(r => r.Contains("too short"));
        long_.Dimensions[ReviewRubric.Fluency].ShouldBeLessThan(good.Dimensions[ReviewRubric.Fluency]);
        long_.Reasons.ShouldContain(r => r.Contains("too long"));
    }

    [Theory]
    [InlineData("I like the the rice.", "doubled")]
    [InlineData("Yes I like to eat with", "stops at 'with'")]
    public void A_broken_sentence_loses_grammar(string reply, string reason)
    {
        var review = Review("Do you like rice?", reply);

        review.Dimensions[ReviewRubric.Grammar].ShouldBeLessThanOrEqualTo(0.6);
        review.Reasons.ShouldContain(r => r.Contains(reason));
    }

    [Fact]
    public void The_same_exchange_always_gets_the_same_review()
    {
        var first = Review("What is your favorite fruit?", "I like apples.");
        var second = Review("What is your favorite fruit?", "I like apples.");

        second.Score.ShouldBe(first.Score);
        second.BetterReply.ShouldBe(first.BetterReply);
        second.Reasons.ShouldBe(first.Reasons);
    }

    [Theory]
    [InlineData("Do you like spicy food?", "Yes, I like spicy food.")]
    [InlineData("How are you today?", "I am fine, thank you. How are you?")]
    [InlineData("What is your name?", "My name is Sam. It is nice to meet you.")]
    public void The_better_reply_answers_the_question(string teacher, string expected) =>
        Review(teacher, "What?").BetterReply.ShouldBe(expected);

    [Fact]
    public void The_better_reply_to_every_question_of_every_topic_is_itself_a_good_reply()
    {
        var poor = new List<string>();
        foreach (var topic in Library.Topics)
        {
            foreach (var question in topic.Questions.Concat(topic.Openers.Take(1).Select(o => $"{o} {topic.Questions[0]}")))
            {
                var better = Review(question, "", topic.Title).BetterReply;
                var review = Review(question, better, topic.Title);
                if (review.Verdict != ReviewRubric.Good)
                {
                    poor.Add($"[{topic.Name}] {question} -> {better} ({review.Score}: {string.Join(" ", review.Reasons)})");
                }
            }
        }

        poor.ShouldBeEmpty(string.Join("\n", poor));
    }
}

public sealed class RuleVerifierAnswerTests
{
    private static readonly TopicLibrary Library = new();
    private static readonly RuleVerifier Rules = new(Library, new BetterReplyWriter(Library));

    [Fact]
    public void A_well_formed_reply_that_leaves_the_question_unanswered_is_at_best_fair()
    {
        var review = Rules.Review(new ReviewInput("the weather", "What is the weather like today?", "Rain is a good word here.", []));

        review.Score.ShouldBeLessThanOrEqualTo(RuleVerifier.UnansweredCap);
        review.Verdict.ShouldNotBe(ReviewRubric.Good);
        review.Reasons.ShouldContain(RuleVerifier.NotAnswered);
    }

    [Theory]
    [InlineData("What is the weather like today?", "the weather", "The weather is ")]
    [InlineData("What do you like to do on a hot day?", "the weather", "I like to go for a walk on a hot day.")]
    [InlineData("How do you feel right now?", "greetings", "I feel happy and calm today.")]
    [InlineData("What is your favorite fruit?", "food and cooking", "My favorite fruit is ")]
    public void The_better_reply_answers_what_was_asked(string teacher, string topic, string expected)
    {
        var better = Rules.Review(new ReviewInput(topic, teacher, "Hm.", [])).BetterReply;

        better.ShouldStartWith(expected);
        // The thing named is not the word asked about ("My favorite fruit is fruit.").
        var named = better[expected.Length..].TrimEnd('.').Trim();
        if (named.Length > 0)
        {
            teacher.ShouldNotContain($" {named}?", Case.Insensitive);
        }
    }
}
