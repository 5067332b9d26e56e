using System.Net.Sockets;
using System.Text.RegularExpressions;
using Ops.Tests.Infrastructure;

namespace Ops.Tests.Removal;

public sealed partial class RemovalDrillTests
{
    [Theory]
    [InlineData("none")]
    [InlineData("local")]
    public async Task The_removal_drill_deletes_the_middleware_and_the_learner_and_teacher_keep_serving_with_their_data(string broker)
    {
        var (exitCode, output) = await ProcessRunner.RunAsync("bash", [SolutionLayout.Current.PathOf("scripts", "removal-drill.sh")], TimeSpan.FromMinutes(4),
            environment: new Dictionary<string, string?>
            {
                ["DRILL_NO_BUILD"] = "1",
                ["DRILL_CONFIGURATION"] = SolutionLayout.Current.Configuration,
                ["DRILL_EXCHANGES"] = "4",
                ["DRILL_DELAY"] = "0.1",
                ["DRILL_KEEP"] = null,
                // "local": a private rabbitmq-server node, so the drill also removes the broker topology (--uninstall).
                ["DRILL_BROKER"] = broker,
                ["RABBITMQ_URL"] = null,
            });

        exitCode.ShouldBe(0, output);
        output.ShouldContain(broker == "local"
            ? "PASS: the middleware is gone: no process, no files, no broker topology"
            : "PASS: the middleware is gone: no process, no files\n");
        output.ShouldMatch(@"PASS: Cerebrum still has all \d+ observations and \d+ words");
        output.ShouldContain("PASS: Cerebrum /api/chat answers: ");
        output.ShouldContain("PASS: LlmServer /api/chat answers (embedded): ");
        output.ShouldMatch(@"PASS: Cerebrum restarted with \d+ observations");
        output.ShouldEndWith("Removal drill passed.\n");

        // Its clean-up trap leaves nothing behind: no listener on any port it used, no work directory.
        var ports = ListeningOn().Matches(output).Select(m => m.Groups[1].Value)
            .Concat(BrokerPorts().Matches(output).SelectMany(m => new[] { m.Groups[1].Value, m.Groups[2].Value }))
            .Select(int.Parse).ToList();
        ports.Count.ShouldBe(broker == "local" ? 6 : 4, "three services, Cerebrum again after its restart, and the broker's two ports");
        foreach (var port in ports)
        {
            (await Accepts(port)).ShouldBeFalse($"something still listens on port {port} after the drill");
        }

        var workDirectory = Path.GetDirectoryName(DeletedDirectory().Match(output).Groups[1].Value)!;
        Directory.Exists(workDirectory).ShouldBeFalse($"{workDirectory} was left behind");
    }

    private static async Task<bool> Accepts(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync("127.0.0.1", port).WaitAsync(TimeSpan.FromSeconds(2));
            return true;
        }
        catch (Exception ex) when (ex is SocketException or TimeoutException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"listening on http://127\.0\.0\.1:(\d+)")]
    private static partial Regex ListeningOn();

    [GeneratedRegex(@"RabbitMQ node \(amqp :(\d+), management :(\d+)")]
    private static partial Regex BrokerPorts();

    [GeneratedRegex(@"deleted (\S+) \(database and training_logs\)")]
    private static partial Regex DeletedDirectory();
}
