using System.Net.Http.Json;
using LlmServer.Reviews;
using LlmServer.Tests.Doubles;

namespace LlmServer.Tests.Reviews;

/// <summary>The review also rates the teacher's own turn, so the middleware can learn which teacher teaches better.</summary>
public sealed class TeacherTurnRatingTests
{
    [Fact]
    public async Task A_varied_on_topic_question_rates_high_and_a_repeated_off_topic_line_rates_low()
    {
        await using var server = LlmServerFactory.With(("Teacher:Chain", "embedded"));
        var client = server.CreateClient();

        var good = await (await client.PostAsJsonAsync("/api/review", new
        {
            topic = "food and cooking",
            teacher_message = "What food do you like to cook at home?",
            learner_reply = "I like to cook rice and soup at home.",
            reviewer = "rules",
            history = new[] { new { role = "assistant", content = "Do you eat breakfast every day?" }, new { role = "user", content = "Yes, I eat bread." } },
        })).ReadJsonAsync();
        var bad = await (await client.PostAsJsonAsync("/api/review", new
        {
            topic = "food and cooking",
            teacher_message = "Buy cheap watches at my shop today.",
            learner_reply = "I like to cook rice and soup at home.",
            reviewer = "rules",
            history = new[] { new { role = "assistant", content = "Buy cheap watches at my shop today." }, new { role = "user", content = "What?" } },
        })).ReadJsonAsync();

        var goodTurn = good["teacher_turn"]!;
        var badTurn = bad["teacher_turn"]!;
        goodTurn["score"]!.GetValue<double>().ShouldBeGreaterThan(0.9);
        goodTurn["dimensions"]!.AsObject().Select(p => p.Key).ShouldBe(TeacherTurnRater.Weights.Keys, ignoreOrder: true);
        badTurn["score"]!.GetValue<double>().ShouldBeLessThan(0.5);
        badTurn["dimensions"]![TeacherTurnRater.OnTopic]!.GetValue<double>().ShouldBeLessThan(0.5);
        badTurn["dimensions"]![TeacherTurnRater.Novelty]!.GetValue<double>().ShouldBe(0);
        badTurn["reasons"]!.AsArray().Select(r => r!.GetValue<string>()).ShouldContain(r => r.Contains("off the topic"));
        badTurn["reasons"]!.AsArray().Select(r => r!.GetValue<string>()).ShouldContain(r => r.Contains("repeats an earlier turn"));
    }

    [Fact]
    public void A_long_lecture_with_no_question_is_less_suited_to_a_beginner()
    {
        var rater = new TeacherTurnRater(new LlmServer.Teachers.Embedded.TopicLibrary());
        var lecture = rater.Rate(new ReviewInput("the weather", string.Join(' ', Enumerable.Repeat("The weather in many countries changes from season to season and nobody knows why exactly", 2)) + ".", "ok", []));
        var question = rater.Rate(new ReviewInput("the weather", "Is it sunny where you are today?", "ok", []));

        lecture.Dimensions[TeacherTurnRater.Suited].ShouldBeLessThan(question.Dimensions[TeacherTurnRater.Suited]);
        lecture.Score.ShouldBeLessThan(question.Score);
    }
}
