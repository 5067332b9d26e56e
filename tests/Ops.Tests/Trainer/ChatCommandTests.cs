using System.Text.Json;

namespace Ops.Tests.Trainer;

/// <summary><c>trainer chat</c> against a middleware peer over real HTTP: what it sends for each line typed, and what it prints.</summary>
public sealed class ChatCommandTests
{
    private static readonly TimeSpan Exit = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Chat_with_the_learner_sends_each_line_to_cerebrum_and_prints_the_answer_until_an_empty_line()
    {
        await using var peer = await MiddlewarePeer.StartAsync();

        var (exitCode, output) = await ChatAsync("Hello there\nI like rain\n\nnever sent\n", "--middleware", peer.Address.ToString(), "--api-key", "k1");

        exitCode.ShouldBe(0, output);
        output.ShouldContain("learner> learner answer 1 to: Hello there");
        output.ShouldContain("learner> learner answer 2 to: I like rain");
        peer.Chats.Select(c => c.Path).ShouldBe(["/api/cerebrum/chat", "/api/cerebrum/chat"], "an empty line ends the chat; nothing after it is sent");
        peer.Chats.Select(c => c.Body.GetProperty("message").GetString()).ShouldBe(["Hello there", "I like rain"]);
        // Cerebrum keeps its own memory: the learner gets the line alone.
        peer.Chats.ShouldAllBe(c => c.Body.EnumerateObject().Select(p => p.Name).SequenceEqual(new[] { "message" }));
        peer.ApiKeysSeen.ShouldAllBe(k => k == "k1");
    }

    [Fact]
    public async Task Chat_to_the_teacher_sends_the_topic_and_the_conversation_so_far_as_history()
    {
        await using var peer = await MiddlewarePeer.StartAsync();

        var (exitCode, output) = await ChatAsync("Hi\nWhat is rain?\nThanks\n", "--to", "teacher", "--topic", "the weather", "--middleware", peer.Address.ToString());

        exitCode.ShouldBe(0, output);
        output.ShouldContain("teacher> teacher answer 3 to: Thanks");
        var chats = peer.Chats;
        chats.Select(c => c.Path).ShouldBe(["/api/llm/chat", "/api/llm/chat", "/api/llm/chat"]);
        chats.ShouldAllBe(c => c.Body.GetProperty("topic").GetString() == "the weather");
        History(chats[0].Body).ShouldBeEmpty();
        History(chats[1].Body).ShouldBe([("user", "Hi"), ("assistant", "teacher answer 1 to: Hi")]);
        History(chats[2].Body).ShouldBe(
        [
            ("user", "Hi"), ("assistant", "teacher answer 1 to: Hi"),
            ("user", "What is rain?"), ("assistant", "teacher answer 2 to: What is rain?"),
        ]);
        chats[2].Body.GetProperty("message").GetString().ShouldBe("Thanks");
    }

    [Fact]
    public async Task End_of_input_ends_the_chat_without_an_empty_line()
    {
        await using var peer = await MiddlewarePeer.StartAsync();

        var (exitCode, output) = await ChatAsync("Only line", "--middleware", peer.Address.ToString());

        exitCode.ShouldBe(0, output);
        output.ShouldContain("learner> learner answer 1 to: Only line");
        peer.Chats.Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_refused_chat_is_reported_with_the_status_and_exits_1()
    {
        await using var peer = await MiddlewarePeer.StartAsync(chatStatus: 503);

        var (exitCode, output) = await ChatAsync("Hello\nAgain\n", "--to", "teacher", "--middleware", peer.Address.ToString());

        exitCode.ShouldBe(1, output);
        output.ShouldContain("503");
        output.ShouldContain("the teacher is not available");
        peer.Chats.Count.ShouldBe(1, "the chat stops at the first refusal");
    }

    [Fact]
    public async Task Chat_to_anyone_but_the_learner_or_the_teacher_is_a_usage_error_without_a_call()
    {
        await using var peer = await MiddlewarePeer.StartAsync();

        var (exitCode, output) = await ChatAsync("Hello\n", "--to", "robot", "--middleware", peer.Address.ToString());

        exitCode.ShouldBe(2, output);
        output.ShouldContain("--to must be learner or teacher.");
        peer.Calls.ShouldBeEmpty();
    }

    /// <summary>Runs <c>trainer chat</c> with <paramref name="typed"/> as what the user types, then end of input.</summary>
    private static async Task<(int ExitCode, string Output)> ChatAsync(string typed, params string[] arguments)
    {
        using var process = TrainerCli.Start(["chat", .. arguments]);
        await process.TypeAndCloseInputAsync(typed);
        (await process.WaitForExitAsync(Exit)).ShouldBeTrue($"trainer chat did not exit within {Exit.TotalSeconds} s:\n{process.Output}");
        return (process.ExitCode, process.Output);
    }

    private static List<(string Role, string Content)> History(JsonElement body) =>
        [.. body.GetProperty("history").EnumerateArray().Select(t => (t.GetProperty("role").GetString()!, t.GetProperty("content").GetString()!))];
}
