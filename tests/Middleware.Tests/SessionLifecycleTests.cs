using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Middleware.Tests.Doubles;

namespace Middleware.Tests;

public sealed class SessionLifecycleTests : PeerDoublesTest
{
    [Fact]
    public async Task Stop_mid_session_ends_it_with_matching_counts_in_middleware_log_and_learner()
    {
        await using var host = MiddlewareHost.Start(Files, Cerebrum.Address, Llm.Address);
        var id = await host.StartSessionAsync(new { max_exchanges = 1000, delay = 0.02 });
        await host.WaitForSessionAsync(id, s => s.Int("exchanges") >= 3);

        // The seed's command, verbatim: a POST with no body.
        using var stop = await host.Client.PostAsync("/api/training/stop", null);
        stop.StatusCode.ShouldBe(HttpStatusCode.OK);
        var stopped = await stop.Content.ReadFromJsonAsync<JsonElement>();
        stopped.GetProperty("stopped_session_ids").EnumerateArray().Select(e => e.GetGuid()).ShouldBe([id]);

        var session = await host.SessionAsync(id);
        session.Str("status").ShouldBe("stopped");
        var exchanges = session.Int("exchanges");
        exchanges.ShouldBeInRange(3, 999);
        Cerebrum.Observations.ShouldBe(exchanges);

        var countAfterStop = Cerebrum.Observations;
        await Task.Delay(300);
        Cerebrum.Observations.ShouldBe(countAfterStop);
        var log = await host.GetJsonAsync($"/api/training/log?session_id={id}");
        log.GetProperty("exchanges").GetArrayLength().ShouldBe(exchanges);
        log.Str("status").ShouldBe("stopped");
    }

    [Fact]
    public async Task Stop_with_session_id_stops_only_that_session_while_another_runs_on()
    {
        await using var host = MiddlewareHost.Start(Files, Cerebrum.Address, Llm.Address);
        var endless = await host.StartSessionAsync(new { max_exchanges = 1000, delay = 0.02 });
        var bounded = await host.StartSessionAsync(new { max_exchanges = 6, delay = 0.05 });
        await host.WaitForSessionAsync(endless, s => s.Int("exchanges") >= 2);

        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/training/stop?session_id={endless}")
        {
            Content = new StringContent("", Encoding.UTF8, "application/json"),
        };
        using var stop = await host.Client.SendAsync(request);
        stop.StatusCode.ShouldBe(HttpStatusCode.OK);

        var finished = await host.WaitForSessionAsync(bounded, s => s.Str("status") == "completed");
        finished.Int("exchanges").ShouldBe(6);
        var stoppedSession = await host.SessionAsync(endless);
        stoppedSession.Str("status").ShouldBe("stopped");
        Cerebrum.Observations.ShouldBe(6 + stoppedSession.Int("exchanges"));
    }

    [Fact]
    public async Task Restarting_the_middleware_mid_session_resumes_it_with_no_exchange_lost_or_doubled()
    {
        const int max = 12;
        Guid id;
        await using (var first = MiddlewareHost.Start(Files, Cerebrum.Address, Llm.Address))
        {
            id = await first.StartSessionAsync(new { max_exchanges = max, delay = 0.02 });
            await first.WaitForSessionAsync(id, s => s.Int("exchanges") >= 4);
            // Catch the next exchange inside the learner call: Cerebrum receives it and counts it, but the
            // middleware is shut down before it reads the reply.
            Cerebrum.ReplyDelay = TimeSpan.FromSeconds(1);
            var requestsBefore = Cerebrum.Requests;
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (Cerebrum.Requests == requestsBefore && DateTime.UtcNow < deadline)
            {
                await Task.Delay(10);
            }
        }

        var atShutdown = await StoredExchangesAsync(id);
        atShutdown.ShouldBeLessThan(max);
        await Task.Delay(1200); // let the double finish counting the cut-off call
        Cerebrum.ReplyDelay = TimeSpan.Zero;
        Cerebrum.Observations.ShouldBe(atShutdown + 1);

        await using var second = MiddlewareHost.Start(Files, Cerebrum.Address, Llm.Address);
        var session = await second.WaitForSessionAsync(id, s => s.Str("status") == "completed");

        session.Int("exchanges").ShouldBe(max);
        Cerebrum.Observations.ShouldBe(max);
        Cerebrum.Requests.ShouldBe(max + 1); // the cut-off exchange was sent again, under the same key
        Llm.Requests.ShouldBe(max); // ...with its stored teacher turn: the teacher was not asked twice
        Cerebrum.Keys.Order().ShouldBe(Enumerable.Range(1, max).Select(i => $"{id}:{i}").Order());
        var log = await second.GetJsonAsync($"/api/training/log?session_id={id}");
        log.GetProperty("exchanges").EnumerateArray().Select(e => e.Int("sequence")).ShouldBe(Enumerable.Range(1, max));
    }

    [Fact]
    public async Task A_peer_that_is_down_pauses_the_session_which_recovers_when_it_returns()
    {
        await using var host = MiddlewareHost.Start(Files, Cerebrum.Address, Llm.Address);
        await Cerebrum.StopAsync();

        var id = await host.StartSessionAsync(new { max_exchanges = 3, delay = 0 });
        var paused = await host.WaitForSessionAsync(id, s => s.Str("status") == "paused" && s.Int("retry_attempt") >= 2);
        paused.Str("last_error").ShouldStartWith("cerebrum:");
        paused.Int("exchanges").ShouldBe(0);
        var status = await host.GetJsonAsync("/api/training/status");
        status.GetProperty("running").GetBoolean().ShouldBeTrue();
        status.Str("status").ShouldBe("paused");

        await Cerebrum.StartAsync();
        var session = await host.WaitForSessionAsync(id, s => s.Str("status") == "completed");
        session.Int("exchanges").ShouldBe(3);
        session.GetProperty("last_error").ValueKind.ShouldBe(JsonValueKind.Null);
        Cerebrum.Observations.ShouldBe(3);
        Llm.Requests.ShouldBe(3); // the stored teacher turn was reused, not asked for again
    }

    [Fact]
    public async Task A_teacher_that_is_down_pauses_the_session_without_failing_it()
    {
        await using var host = MiddlewareHost.Start(Files, Cerebrum.Address, Llm.Address);
        await Llm.StopAsync();

        var id = await host.StartSessionAsync(new { max_exchanges = 2, delay = 0 });
        var paused = await host.WaitForSessionAsync(id, s => s.Str("status") == "paused" && s.Int("retry_attempt") >= 2);
        paused.Str("last_error").ShouldStartWith("teacher:");

        await Llm.StartAsync();
        var session = await host.WaitForSessionAsync(id, s => s.Str("status") == "completed");
        session.Int("exchanges").ShouldBe(2);
        Cerebrum.Observations.ShouldBe(2);
    }

    [Fact]
    public async Task Start_without_a_body_uses_the_configured_training_defaults()
    {
        await using var host = MiddlewareHost.Start(Files, Cerebrum.Address, Llm.Address, new Dictionary<string, string?>
        {
            ["Training:MaxExchanges"] = "2",
            ["Training:Delay"] = "0",
            ["Training:Topics:0"] = "gardening",
        });

        using var response = await host.Client.PostAsync("/api/training/start", null);
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var started = await response.Content.ReadFromJsonAsync<JsonElement>();
        started.Int("max_exchanges").ShouldBe(2);
        started.Str("topic").ShouldBe("gardening");

        var session = await host.WaitForSessionAsync(started.GetProperty("session_id").GetGuid(), s => s.Str("status") == "completed");
        session.Int("exchanges").ShouldBe(2);
    }

    [Fact]
    public async Task Invalid_training_defaults_stop_the_host_at_start_up()
    {
        var (exitCode, output) = await MiddlewareProcess.RunToExitAsync(Files, Cerebrum.Address, Llm.Address, [new("Training:MaxExchanges", "0")]);

        exitCode.ShouldNotBe(0, output);
        output.ShouldContain("MaxExchanges");
    }

    private async Task<int> StoredExchangesAsync(Guid id)
    {
        // Read the session file the stopped host left behind: it is the middleware's own record.
        var file = Directory.GetFiles(Files.LogsPath, "session_*.json").ShouldHaveSingleItem();
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(file));
        document.RootElement.Str("session_id").ShouldBe(id.ToString());
        document.RootElement.Str("status").ShouldBe("running");
        return document.RootElement.GetProperty("exchanges").GetArrayLength();
    }
}
