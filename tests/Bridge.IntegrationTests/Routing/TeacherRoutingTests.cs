using System.Net.Http.Json;
using System.Text.Json;
using Bridge.IntegrationTests.Infrastructure;

namespace Bridge.IntegrationTests.Routing;

/// <summary>
/// Issue 13's "done when": real Cerebrum, LlmServer and Middleware processes, LlmServer's Ollama provider pointed at
/// an Ollama-protocol double that serves a good and a bad teacher model. The middleware learns from the reviews
/// (LlmServer's rule-based reviewer rates the teacher's turn and the learner's reply) which one to use.
/// </summary>
public sealed class TeacherRoutingTests
{
    private const string GoodTeacher = "ollama/" + TwoTeacherOllama.Good;
    private const string BadTeacher = "ollama/" + TwoTeacherOllama.Bad;
    private static readonly TimeSpan SessionTimeout = TimeSpan.FromMinutes(6);

    /// <summary>The good model is down from the 41st answered turn to the 70th: exchanges 41..70.</summary>
    private const int DownAfter = 40;
    private const int UpAfter = 70;

    [Fact]
    public async Task Learned_routing_gives_the_good_teacher_most_turns_survives_its_outage_and_wins_its_share_back()
    {
        await using var ollama = await TwoTeacherOllama.StartAsync();
        // Placed by the turns the double answers (one per exchange), not by the test noticing an exchange: at delay 0
        // on a loaded machine a poller may see exchange 40 when the session is already at 50.
        ollama.GoodDownBetween(DownAfter, UpAfter);
        await using var stack = await BridgeStack.StartAsync(new BridgeStackOptions
        {
            Teacher = "ollama",
            LlmServerEnvironment = new Dictionary<string, string?>
            {
                ["Ollama__Url"] = ollama.BaseUrl,
                ["Ollama__Model"] = TwoTeacherOllama.Good,
            },
            MiddlewareEnvironment = new Dictionary<string, string?>
            {
                ["Training__Review"] = "rules",
                ["Middleware__RetryDelaySeconds"] = "0.01",
                ["Middleware__MaxRetryDelaySeconds"] = "0.05",
            },
        });

        var sessionId = await stack.StartSessionAsync(new
        {
            max_exchanges = 150,
            delay = 0,
            topics = new[] { "food and cooking", "the weather" },
            topic_switch_interval = 10,
            teachers = new[] { GoodTeacher, BadTeacher },
        });

        var session = await stack.WaitForSessionAsync(sessionId, s => !s.IsActive(), SessionTimeout);
        session.Status().ShouldBe("completed", stack.Diagnostics());
        session.Exchanges().ShouldBe(150);
        ollama.Answered.ShouldBe(150, "one answered turn per exchange, so the outage covers exchanges 41 to 70");

        var log = await stack.GetLogAsync(sessionId);
        var teachers = log.GetProperty("exchanges").EnumerateArray()
            .Select(e => (Sequence: e.GetProperty("sequence").GetInt32(), Teacher: e.GetProperty("routing").GetProperty("teacher").GetString()!))
            .ToList();
        teachers.Count.ShouldBe(150);
        log.GetProperty("exchanges").EnumerateArray().ShouldAllBe(e => e.GetProperty("teacher_name").GetString() == e.GetProperty("routing").GetProperty("teacher").GetString());
        teachers.Select(t => t.Teacher).Distinct().ShouldBeSubsetOf([GoodTeacher, BadTeacher]);

        var during = teachers.Where(t => t.Sequence > DownAfter && t.Sequence <= UpAfter).ToList();
        during.Count.ShouldBe(UpAfter - DownAfter);
        during.ShouldAllBe(t => t.Teacher == BadTeacher, "while the good teacher is down the session goes on with the other");

        var last60 = teachers.TakeLast(60).ToList();
        var goodShare = last60.Count(t => t.Teacher == GoodTeacher) / 60.0;
        goodShare.ShouldBeGreaterThanOrEqualTo(0.7, $"good teacher's share of the last 60 turns (outage {DownAfter + 1}..{UpAfter}): {string.Join(' ', teachers.Select(t => t.Teacher == GoodTeacher ? 'G' : 'b'))}");

        var file = stack.ReadSessionFile(sessionId);
        file.GetProperty("exchanges").EnumerateArray().ShouldAllBe(e => e.GetProperty("routing").GetProperty("strategy").GetString() == "learned");

        using var record = await stack.MiddlewareClient.GetFromJsonAsync<JsonDocument>($"/api/training/teachers?session_id={sessionId}");
        var stats = record!.RootElement.GetProperty("teachers").EnumerateArray().ToDictionary(t => t.GetProperty("teacher").GetString()!);
        var good = stats[GoodTeacher];
        var bad = stats[BadTeacher];
        (good.GetProperty("turns").GetInt32() + bad.GetProperty("turns").GetInt32()).ShouldBe(150);
        good.GetProperty("failures").GetInt32().ShouldBeGreaterThan(0, "the outage shows in the good teacher's record");
        bad.GetProperty("failures").GetInt32().ShouldBeGreaterThan(0, "the bad teacher fails 3 requests in 10");
        good.GetProperty("mean_reward").GetDouble().ShouldBeGreaterThan(bad.GetProperty("mean_reward").GetDouble());
        good.GetProperty("share_recent").GetDouble().ShouldBeGreaterThanOrEqualTo(0.7);
        good.GetProperty("by_topic").GetProperty("the weather").GetProperty("turns").GetInt32().ShouldBeGreaterThan(0);
        var back = teachers.First(t => t.Sequence > UpAfter && t.Teacher == GoodTeacher).Sequence;
        Console.WriteLine($"Measured: good share of last 60 = {goodShare:P0}; good answered again at exchange {back}; good {good}; bad {bad}; "
            + $"outage {DownAfter + 1}..{UpAfter}; chat requests: {Requests(ollama)}; teacher failures logged: "
            + stack.Middleware.Output.Split('\n').Count(l => l.Contains("failed exchange", StringComparison.Ordinal))
            + $", of them a broken circuit: {stack.Middleware.Output.Split('\n').Count(l => l.Contains("failed exchange", StringComparison.Ordinal) && l.Contains("circuit", StringComparison.OrdinalIgnoreCase))}");
        Console.WriteLine(string.Join(' ', teachers.Select(t => t.Teacher == GoodTeacher ? 'G' : 'b')));
    }

    private static string Requests(TwoTeacherOllama ollama) => string.Join(", ", ollama.Requests.GroupBy(r => (r.Model, r.Answered))
        .Select(g => $"{g.Key.Model} {(g.Key.Answered ? "answered" : "failed")} {g.Count()}"));
}
