using System.Net.Http.Json;
using Ops.Tests.Infrastructure;

namespace Ops.Tests.Trainer;

public sealed class TrainerCliTests
{
    private static readonly TimeSpan Exit = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("--exchanges", "0", "--exchanges must be a whole number from 1 to 100000")]
    [InlineData("--exchanges", "lots", "--exchanges must be a whole number")]
    [InlineData("--delay", "-1", "--delay must be a number of seconds from 0 to 3600")]
    [InlineData("--middleware", "ftp://x", "--middleware must be an http:// or https:// address")]
    [InlineData("--colour", "red", "Unknown argument '--colour'")]
    public async Task Bad_arguments_print_the_reason_and_usage_and_exit_2_without_calling_the_middleware(string option, string value, string expected)
    {
        await using var peer = await MiddlewarePeer.StartAsync();

        var (exitCode, output) = await TrainerCli.RunAsync(Exit, "--middleware", peer.Address.ToString(), option, value);

        exitCode.ShouldBe(2);
        output.ShouldContain(expected);
        output.ShouldContain("Usage: trainer");
        peer.Calls.ShouldBeEmpty();
    }

    [Fact]
    public async Task An_option_without_its_value_is_an_argument_error()
    {
        var (exitCode, output) = await TrainerCli.RunAsync(Exit, "--exchanges");

        exitCode.ShouldBe(2);
        output.ShouldContain("Option '--exchanges' needs a value.");
    }

    [Fact]
    public async Task An_unreachable_middleware_is_reported_with_its_address_and_a_hint()
    {
        var port = FreePorts.Next();

        var (exitCode, output) = await TrainerCli.RunAsync(Exit, "--exchanges", "3", "--middleware", $"http://127.0.0.1:{port}");

        exitCode.ShouldBe(1);
        output.ShouldContain($"Cannot reach the middleware at http://127.0.0.1:{port}/");
        output.ShouldContain("Is it running?");
    }

    [Fact]
    public async Task A_problem_from_the_middleware_is_shown_with_its_detail()
    {
        await using var peer = await MiddlewarePeer.StartAsync(requiredApiKey: "s3cret");

        var (exitCode, output) = await TrainerCli.RunAsync(Exit, "--exchanges", "3", "--middleware", peer.Address.ToString());

        exitCode.ShouldBe(1);
        output.ShouldContain("401");
        output.ShouldContain("This middleware requires header X-Api-Key.");
        output.ShouldContain("--api-key");
        peer.Sessions.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_run_to_completion_starts_one_session_with_the_options_and_prints_the_summary()
    {
        await using var peer = await MiddlewarePeer.StartAsync(requiredApiKey: "s3cret");

        var (exitCode, output) = await TrainerCli.RunAsync(Exit,
            "--exchanges", "4", "--delay", "0.1", "--topic", "the weather", "--middleware", peer.Address.ToString(), "--api-key", "s3cret");

        exitCode.ShouldBe(0, output);
        var session = peer.Sessions.ShouldHaveSingleItem();
        session.Status.ShouldBe("completed");
        var body = peer.LastStartBody!.Value;
        body.GetProperty("max_exchanges").GetInt32().ShouldBe(4);
        body.GetProperty("delay").GetDouble().ShouldBe(0.1);
        body.GetProperty("topic").GetString().ShouldBe("the weather");
        peer.ApiKeysSeen.ShouldAllBe(k => k == "s3cret");

        output.ShouldContain("Training summary");
        output.ShouldContain(session.SessionId);
        output.ShouldContain("completed");
        output.ShouldContain("4 / 4");
        output.ShouldContain("40 -> 44 (+4)");
        output.ShouldContain("teacher: Teacher line 4 | learner: Learner line 4");
        peer.Calls.ShouldNotContain(c => c.StartsWith("POST /api/training/stop", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_session_that_fails_exits_1_and_shows_the_middlewares_last_error()
    {
        await using var peer = await MiddlewarePeer.StartAsync(failAfter: 2);

        var (exitCode, output) = await TrainerCli.RunAsync(Exit, "--exchanges", "10", "--delay", "0.1", "--middleware", peer.Address.ToString());

        exitCode.ShouldBe(1, output);
        peer.Sessions.ShouldHaveSingleItem().Status.ShouldBe("failed");
        output.ShouldContain("2 / 10");
        output.ShouldContain(MiddlewarePeer.FailureMessage);
    }

    [Fact]
    public async Task A_session_that_completes_while_another_session_runs_is_seen_to_complete()
    {
        await using var peer = await MiddlewarePeer.StartAsync();
        using var http = new HttpClient { BaseAddress = peer.Address, Timeout = TimeSpan.FromSeconds(10) };
        // Someone else's long session (the dashboard's, say) keeps running, so the status lists only that one once ours ends.
        (await http.PostAsJsonAsync("/api/training/start", new { max_exchanges = 1000, delay = 0.5 })).EnsureSuccessStatusCode();

        var (exitCode, output) = await TrainerCli.RunAsync(Exit, "--exchanges", "3", "--delay", "0.1", "--middleware", peer.Address.ToString());

        exitCode.ShouldBe(0, output);
        var ours = peer.Sessions.Where(s => s.MaxExchanges == 3).ShouldHaveSingleItem();
        ours.Status.ShouldBe("completed");
        peer.Sessions.ShouldContain(s => s.MaxExchanges == 1000 && s.Status == "running", "the other session must not be stopped");
        output.ShouldContain("3 / 3");
        output.ShouldContain(ours.SessionId);
    }

    [Fact]
    public async Task Ctrl_C_stops_exactly_its_session_through_the_control_api_and_still_prints_the_summary()
    {
        await using var peer = await MiddlewarePeer.StartAsync();
        using var trainer = TrainerCli.Start("--exchanges", "1000", "--delay", "0.2", "--middleware", peer.Address.ToString());
        await Poll.UntilAsync(() => Task.FromResult(peer.Sessions.Any(s => s.Exchanges >= 2) || trainer.HasExited), TimeSpan.FromSeconds(30), "two exchanges");
        trainer.HasExited.ShouldBeFalse(trainer.Output);

        trainer.Signal("INT");

        (await trainer.WaitForExitAsync(TimeSpan.FromSeconds(20))).ShouldBeTrue($"trainer ignored Ctrl+C:\n{trainer.Output}");
        var session = peer.Sessions.ShouldHaveSingleItem();
        peer.Calls.ShouldContain($"POST /api/training/stop?session_id={session.SessionId}");
        session.Status.ShouldBe("stopped");
        trainer.ExitCode.ShouldBe(130);
        trainer.Output.ShouldContain("stopped (Ctrl+C)");
        trainer.Output.ShouldContain("Training summary");
        trainer.Output.ShouldContain($"/ 1000");
    }
}

[Collection(BridgeServicesCollection.Name)]
public sealed class TrainerCliAgainstRealServicesTests(BridgeServices services)
{
    [Fact]
    public async Task The_trainer_runs_a_real_session_and_the_learner_keeps_what_it_observed()
    {
        using var cerebrum = new HttpClient { BaseAddress = services.Stack.Cerebrum.Url };
        var before = (await cerebrum.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/status")).GetProperty("observations").GetInt64();

        var (exitCode, output) = await TrainerCli.RunAsync(TimeSpan.FromSeconds(90),
            "--exchanges", "3", "--delay", "0", "--middleware", services.Stack.Middleware.Url.ToString(), "--api-key", BridgeServices.ApiKey);

        exitCode.ShouldBe(0, $"{output}\n{services.Stack.Diagnostics()}");
        var after = (await cerebrum.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/status")).GetProperty("observations").GetInt64();
        after.ShouldBeGreaterThanOrEqualTo(before + 3);
        output.ShouldContain("3 / 3");
        output.ShouldContain("[3] teacher: ");

        // Another test's stopped session may still finish its last exchange, so the learner's counts are bounded, not exact.
        var row = System.Text.RegularExpressions.Regex.Match(output, @"Observations\s*│\s*(\d+) -> (\d+) \(\+(\d+)\)");
        row.Success.ShouldBeTrue(output);
        long.Parse(row.Groups[1].Value).ShouldBeGreaterThanOrEqualTo(before);
        long.Parse(row.Groups[2].Value).ShouldBeLessThanOrEqualTo(after);
        long.Parse(row.Groups[3].Value).ShouldBeGreaterThanOrEqualTo(3);
    }
}
