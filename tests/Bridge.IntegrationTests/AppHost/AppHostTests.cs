using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Bridge.IntegrationTests.Infrastructure;

namespace Bridge.IntegrationTests.AppHost;

/// <summary>Issue 3's and 7's AppHost behaviour, on the real built AppHost.</summary>
public sealed class AppHostTests
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Without_middleware_starts_cerebrum_and_llmserver_alone_with_the_chosen_teacher()
    {
        var basePort = FreePorts.NextRangeOf3();
        await using var host = AppHostProcess.Start(basePort, "--no-broker", "--without", "middleware", "--teacher", "embedded");

        await host.WaitForOutputAsync("ready in", ReadyTimeout);

        host.Output.ShouldContain($"http://localhost:{basePort}");
        host.Output.ShouldContain($"http://localhost:{basePort + 1}");
        host.Output.ShouldContain("middleware not started (--without middleware)");
        host.ChildProcessIds.Keys.ShouldBe(["cerebrum", "llmserver"], ignoreOrder: true);

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        (await http.GetAsync($"http://127.0.0.1:{basePort}/api/status")).StatusCode.ShouldBe(HttpStatusCode.OK);
        using var models = JsonDocument.Parse(await http.GetStringAsync($"http://127.0.0.1:{basePort + 1}/api/models"));
        models.RootElement.GetProperty("chain").EnumerateArray().Select(p => p.GetString()).ShouldBe(["embedded"],
            "--teacher embedded must reach LlmServer as Teacher__Chain");
        FreePorts.IsFree(basePort + 2).ShouldBeTrue("nothing may listen on the middleware's port");
    }

    [Fact]
    public async Task A_taken_port_is_named_with_the_option_to_use_and_the_apphost_exits_nonzero_without_a_stack_trace()
    {
        var basePort = FreePorts.NextRangeOf3();
        using var squatter = new TcpListener(IPAddress.Loopback, basePort + 1);
        squatter.Start();

        await using var host = AppHostProcess.Start(basePort, "--no-broker");
        (await host.WaitForExitAsync(TimeSpan.FromSeconds(60))).ShouldBeTrue("the AppHost must give up on a taken port");

        host.ExitCode.ShouldNotBe(0);
        host.Output.ShouldContain($"port {basePort + 1} (llmserver) is already in use");
        host.Output.ShouldContain("--port-offset");
        host.Output.ShouldNotContain("Unhandled exception");
        host.Output.ShouldNotContain("   at ");
        host.ChildProcessIds.ShouldBeEmpty("no service may start when a port is taken");
    }

    [Fact]
    public async Task Services_are_wired_with_aspire_variables_and_cerebrum_never_sees_a_broker()
    {
        var basePort = FreePorts.NextRangeOf3();
        var environment = new Dictionary<string, string> { ["ConnectionStrings__rabbitmq"] = "amqp://guest:guest@127.0.0.1:1/" };
        await using var host = AppHostProcess.Start(basePort, environment, "--no-broker", "--teacher", "embedded");
        await host.WaitForOutputAsync("ready in", ReadyTimeout);
        var children = host.ChildProcessIds;

        var cerebrum = AppHostProcess.EnvironmentOf(children["cerebrum"]);
        var llmServer = AppHostProcess.EnvironmentOf(children["llmserver"]);
        var middleware = AppHostProcess.EnvironmentOf(children["middleware"]);

        cerebrum["OTEL_SERVICE_NAME"].ShouldBe("cerebrum");
        cerebrum["ASPNETCORE_URLS"].ShouldBe($"http://localhost:{basePort}");
        cerebrum.Keys.ShouldNotContain("ConnectionStrings__rabbitmq", "Cerebrum has no broker dependency");
        cerebrum.Keys.ShouldNotContain(k => k.StartsWith("services__", StringComparison.Ordinal), "Cerebrum calls no one");
        llmServer["Teacher__Chain"].ShouldBe("embedded");
        llmServer.Keys.ShouldNotContain(k => k.StartsWith("services__", StringComparison.Ordinal), "LlmServer calls no one of ours");
        llmServer.Keys.ShouldNotContain("ConnectionStrings__rabbitmq", "--no-broker means HTTP mode even when a broker is configured");
        middleware["services__cerebrum__http__0"].ShouldBe($"http://localhost:{basePort}");
        middleware["services__llmserver__http__0"].ShouldBe($"http://localhost:{basePort + 1}");
        middleware["Middleware__TrainingLogsPath"].ShouldBe(Path.Combine(host.DataDirectory, "middleware", "training_logs"));
        middleware.Keys.ShouldNotContain("ConnectionStrings__rabbitmq");
        new[] { cerebrum, llmServer, middleware }.Select(e => e["ASPNETCORE_URLS"]).Distinct().Count().ShouldBe(3);
    }

    [Fact]
    public async Task Sigint_stops_every_child_and_frees_the_ports()
    {
        var basePort = FreePorts.NextRangeOf3();
        await using var host = AppHostProcess.Start(basePort, "--no-broker");
        await host.WaitForOutputAsync("ready in", ReadyTimeout);
        var children = host.ChildProcessIds;
        children.Keys.ShouldBe(["cerebrum", "llmserver", "middleware"], ignoreOrder: true);
        children.Values.ShouldAllBe(pid => AppHostProcess.IsAlive(pid));
        host.Output.ShouldContain(Path.Combine(host.DataDirectory, "middleware", "training_logs"));

        await host.InterruptAsync();

        (await host.WaitForExitAsync(TimeSpan.FromSeconds(60))).ShouldBeTrue($"the AppHost did not exit after SIGINT:\n{host.Output}");
        host.ExitCode.ShouldBe(0);
        var stopwatch = Stopwatch.StartNew();
        while (children.Values.Any(AppHostProcess.IsAlive) && stopwatch.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(100);
        }

        children.Where(c => AppHostProcess.IsAlive(c.Value)).Select(c => c.Key).ShouldBeEmpty("orphaned service processes");
        Enumerable.Range(basePort, 3).ShouldAllBe(port => FreePorts.IsFree(port));
        host.Output.ShouldContain("stopped.");
    }
}
