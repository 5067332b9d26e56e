using LlmServer.Teachers;
using LlmServer.Teachers.Embedded;

namespace LlmServer.Tests.Teachers;

public sealed class EmbeddedTeacherTests
{
    private static readonly TopicLibrary Library = new();
    private readonly EmbeddedTeacher _teacher = new(Library);

    public static TheoryData<string> TopicNames() => new(Library.Topics.Select(topic => topic.Name));

    [Fact]
    public void Library_holds_at_least_eight_everyday_topics_each_with_many_lines()
    {
        Library.Topics.Count.ShouldBeGreaterThanOrEqualTo(8);
        foreach (var topic in Library.Topics)
        {
            topic.Openers.Count.ShouldBeGreaterThanOrEqualTo(3, topic.Name);
            topic.Questions.Count.ShouldBeGreaterThanOrEqualTo(20, topic.Name);
            topic.Facts.Count.ShouldBeGreaterThanOrEqualTo(8, topic.Name);
            topic.Reactions.Count.ShouldBeGreaterThanOrEqualTo(10, topic.Name);
            topic.Persona.ShouldNotBeNullOrWhiteSpace(topic.Name);
        }
    }

    [Fact]
    public void Every_line_is_a_distinct_sentence_with_a_capital_and_end_punctuation()
    {
        var scripts = Library.Topics.Append(Library.Resolve("astronomy", []));
        foreach (var topic in scripts)
        {
            var lines = topic.Openers.Concat(topic.Questions).Concat(topic.Facts).Concat(topic.Reactions.Values.SelectMany(l => l)).ToList();
            lines.ShouldBeUnique(topic.Name);
            foreach (var line in lines)
            {
                char.IsUpper(line.TrimStart('"')[0]).ShouldBeTrue($"{topic.Name}: '{line}' should start with a capital");
                ".?!\"".ShouldContain(line[^1], $"{topic.Name}: '{line}' should end a sentence");
            }

            topic.Questions.ShouldAllBe(question => question.EndsWith('?'));
        }
    }

    [Theory]
    [InlineData("greetings and introductions", "greetings")]
    [InlineData("the weather", "weather")]
    [InlineData("food and cooking", "food")]
    [InlineData("family and friends", "family")]
    [InlineData("hobbies and free time", "hobbies")]
    [InlineData("travel and places", "travel")]
    [InlineData("work and school", "work")]
    [InlineData("animals and nature", "animals")]
    [InlineData("Music", "music")]
    [InlineData("life in the city", "city")]
    public void Requested_topics_map_onto_their_scripts(string requested, string expected) =>
        Library.Resolve(requested, []).Name.ShouldBe(expected);

    [Fact]
    public void A_topic_without_a_script_is_talked_about_by_name()
    {
        var reply = _teacher.Reply("astronomy", [], "");

        reply.ShouldContain("astronomy");
    }

    [Fact]
    public void Without_a_topic_the_learners_words_choose_it_and_small_talk_is_the_default()
    {
        Library.Resolve(null, ["I cooked rice for dinner"]).Name.ShouldBe("food");
        Library.Resolve(null, ["Hello!"]).Name.ShouldBe("greetings");
        Library.Resolve(null, [""]).Name.ShouldBe("greetings");
    }

    [Fact]
    public void The_same_topic_history_and_message_always_give_the_same_turn()
    {
        var history = new List<TeacherTurn> { new("assistant", "Let's talk about food today. What is your favorite food?"), new("user", "pizza") };

        var first = _teacher.Reply("food", history, "I like pizza and rice");
        var again = new EmbeddedTeacher(new TopicLibrary()).Reply("food", history, "I like pizza and rice");

        again.ShouldBe(first);
        _teacher.Reply("food", history, "I like soup").ShouldNotBe(first);
    }

    [Theory]
    [MemberData(nameof(TopicNames))]
    public void First_turn_opens_the_topic_and_asks_one_of_its_first_questions(string topic)
    {
        var script = Library.Topics.Single(t => t.Name == topic);

        var reply = _teacher.Reply(topic, [], "");

        script.Openers.ShouldContain(opener => reply.Contains(opener));
        script.Questions.Take(3).ShouldContain(question => reply.EndsWith(question));
    }

    [Theory]
    [MemberData(nameof(TopicNames))]
    public void Reacts_to_the_topic_words_the_learner_uses(string topic)
    {
        var script = Library.Topics.Single(t => t.Name == topic);
        var history = new List<TeacherTurn> { new("assistant", script.Openers[0] + " " + script.Questions[0]) };

        foreach (var word in script.Reactions.Keys)
        {
            var reply = _teacher.Reply(topic, history, $"Yes, {word}.");

            reply.ShouldContain(word, Case.Insensitive, $"learner said '{word}'");
        }
    }

    [Theory]
    [InlineData("weather", "my new bicycle", "bicycle")]
    [InlineData("food", "yesterday I visited Marseille", "marseille")]
    [InlineData("music", "the violinist", "violinist")]
    public void Echoes_a_content_word_it_has_no_line_for(string topic, string message, string word)
    {
        var history = new List<TeacherTurn> { new("assistant", "Hello. What did you do today?") };

        _teacher.Reply(topic, history, message).ShouldContain(word, Case.Insensitive);
    }

    [Theory]
    [MemberData(nameof(TopicNames))]
    public void Thirty_turns_stay_on_topic_never_repeat_a_turn_and_are_never_empty(string topic)
    {
        var script = Library.Topics.Single(t => t.Name == topic);
        var history = new List<TeacherTurn>();
        var learner = new SimulatedLearner(seed: topic.Length);

        for (var turn = 0; turn < 30; turn++)
        {
            var message = learner.Answer(history.LastOrDefault(t => t.IsTeacher)?.Content);
            var reply = _teacher.Reply(script.Title, history, message);

            reply.ShouldNotBeNullOrWhiteSpace();
            history.Where(t => t.IsTeacher).Select(t => t.Content).ShouldNotContain(reply, $"turn {turn} repeated an earlier turn");
            script.Questions.ShouldContain(question => reply.EndsWith(question), $"turn {turn} '{reply}' should end with a {topic} question");
            reply.Length.ShouldBeLessThan(300, "turns stay short");

            history.Add(new TeacherTurn("user", message));
            history.Add(new TeacherTurn("assistant", reply));
        }

        // Working through the topic: most of its questions were asked, not the same few again and again.
        var asked = script.Questions.Count(q => history.Any(t => t.IsTeacher && t.Content.Contains(q)));
        asked.ShouldBeGreaterThanOrEqualTo(Math.Min(script.Questions.Count, 20));
    }

    [Fact]
    public void Only_the_last_ten_turns_in_history_still_never_repeat_the_previous_turn()
    {
        var history = new List<TeacherTurn>();
        var learner = new SimulatedLearner(seed: 7);
        string? previous = null;

        for (var turn = 0; turn < 60; turn++)
        {
            var window = history.TakeLast(10).ToList();
            var message = learner.Answer(previous);
            var reply = _teacher.Reply("the weather", window, message);

            reply.ShouldNotBe(previous);
            history.Add(new TeacherTurn("user", message));
            history.Add(new TeacherTurn("assistant", reply));
            previous = reply;
        }
    }

    [Fact]
    public void With_only_the_last_five_exchanges_in_history_the_teacher_keeps_moving_through_the_topic()
    {
        var script = Library.Topics.Single(t => t.Name == "food");
        var exchanges = new List<(string Teacher, string Learner)>();
        var learner = new SimulatedLearner(seed: 3);
        var message = "Hello! Let's talk about food and cooking.";
        var askedQuestions = new List<string>();

        for (var turn = 0; turn < 20; turn++)
        {
            // A caller's window: the last five exchanges, the learner's last reply travelling as the message.
            var history = exchanges.TakeLast(5).SelectMany(e => new[] { new TeacherTurn("assistant", e.Teacher), new TeacherTurn("user", e.Learner) }).ToList();
            if (history.Count > 0)
            {
                history.RemoveAt(history.Count - 1);
            }

            var reply = _teacher.Reply("food and cooking", history, message);
            askedQuestions.Add(script.Questions.Single(q => reply.EndsWith(q)));
            message = learner.Answer(reply);
            exchanges.Add((reply, message));
        }

        askedQuestions.Distinct().Count().ShouldBeGreaterThanOrEqualTo(15, string.Join(" | ", askedQuestions));
    }

    [Fact]
    public void An_opening_line_that_names_the_topic_is_greeted_not_echoed()
    {
        var reply = _teacher.Reply("food and cooking", [], "Hello! Let's talk about food and cooking.");

        reply.ShouldStartWith("Hello");
        reply.ShouldNotContain("\"food\"");
        reply.ShouldNotContain("Cooking");
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("???")]
    [InlineData("the the the is is a")]
    [InlineData("🙂🙂🙂")]
    [InlineData("ééé ñññ ßßß")]
    [InlineData("12345 67890")]
    public void Never_answers_with_nothing_whatever_the_learner_says(string message)
    {
        foreach (var topic in Library.Topics.Select(t => t.Name).Append("quantum physics").Append(""))
        {
            var history = new List<TeacherTurn>();
            for (var turn = 0; turn < 40; turn++)
            {
                var reply = _teacher.Reply(topic, history, message);
                reply.ShouldNotBeNullOrWhiteSpace();
                history.Add(new TeacherTurn("user", message));
                history.Add(new TeacherTurn("assistant", reply));
            }
        }
    }

    [Fact]
    public void A_learner_question_gets_an_acknowledgement_and_a_fact()
    {
        var script = Library.Topics.Single(t => t.Name == "animals");
        var history = new List<TeacherTurn> { new("assistant", "Let's talk about animals. Do you like animals?") };

        var reply = _teacher.Reply("animals", history, "What do cats eat?");

        Library.Common.QuestionAcknowledgements.ShouldContain(line => reply.Contains(line));
        script.Facts.ShouldContain(fact => reply.Contains(fact));
    }

    /// <summary>A beginner: sometimes repeats the teacher's words, sometimes answers simply, sometimes says nothing.</summary>
    private sealed class SimulatedLearner(int seed)
    {
        private static readonly string[] Replies =
        [
            "yes", "I like it", "no", "my family", "I do not know", "it is good", "rain", "I like pizza", "hello", "my dog is big",
            "I go to work", "I play football", "music is nice", "the city is big", "", "what is that?", "I am happy", "thank you",
        ];

        private int _turn = seed;

        public string Answer(string? teacherLine)
        {
            _turn++;
            if (teacherLine is not null && _turn % 3 == 0)
            {
                var words = teacherLine.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return string.Join(' ', words.Skip(_turn % Math.Max(1, words.Length)).Take(3)).Trim('?', '.', '!');
            }

            return Replies[(_turn * 7) % Replies.Length];
        }
    }
}
