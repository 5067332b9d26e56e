using System.Text.Json.Nodes;
using Bridge.Testing;
using Bridge.Testing.Broker;

namespace Bridge.Bench;

/// <summary>
/// Runs each mode on a fresh stack (real processes, embedded teacher, delay 0): first the overhead, with direct and
/// middleware blocks alternating so that Cerebrum's growing memory weighs on both alike, then concurrent sessions.
/// </summary>
public sealed class BenchRunner(BenchOptions options, ConsoleLog serviceLog, Action<string> progress)
{
    public const string HttpMode = "HTTP (Refit)";
    public const string BusMode = "RabbitMQ (MassTransit)";

    public async Task<(OverheadResult Overhead, IReadOnlyList<ThroughputResult> Throughput)> RunModeAsync(
        string mode, string? brokerConnectionString, CancellationToken cancellationToken)
    {
        progress($"{mode}: starting Cerebrum, LlmServer and Middleware");
        await using var stack = await ScratchStack.StartAsync(
            new ScratchStackOptions { BrokerConnectionString = brokerConnectionString, Teacher = "embedded" }, serviceLog, cancellationToken);
        var direct = new DirectExchanges(stack.Http, stack.LlmServers[0].Url, stack.Cerebrum.Url);

        progress($"{mode}: warming up");
        await direct.RunAsync(5, cancellationToken);
        await RunSessionsAsync(stack, 1, 5, cancellationToken);

        var directTime = TimeSpan.Zero;
        var middlewareTime = TimeSpan.Zero;
        var measured = 0;
        for (var round = 0; round < options.Rounds; round++)
        {
            var block = options.Exchanges / options.Rounds + (round < options.Exchanges % options.Rounds ? 1 : 0);
            progress($"{mode}: overhead round {round + 1}/{options.Rounds}, {block} exchanges direct then through the middleware");
            directTime += await direct.RunAsync(block, cancellationToken);
            var session = await RunSessionsAsync(stack, 1, block, cancellationToken);
            middlewareTime += session.Elapsed;
            measured += block;
        }

        var throughput = new List<ThroughputResult>();
        foreach (var sessions in options.Concurrency)
        {
            progress($"{mode}: {sessions} concurrent session(s) of {options.ThroughputExchanges} exchanges");
            var run = await RunSessionsAsync(stack, sessions, options.ThroughputExchanges, cancellationToken);
            throughput.Add(new ThroughputResult(mode, sessions, options.ThroughputExchanges, run.Completed, run.Elapsed));
        }

        return (new OverheadResult(mode, measured, directTime, middlewareTime), throughput);
    }

    /// <summary>Starts <paramref name="sessions"/> sessions at once and times them by the middleware's own clock
    /// (first <c>started_at</c> to last <c>ended_at</c>), so polling adds nothing to the measurement.</summary>
    private static async Task<(int Completed, TimeSpan Elapsed)> RunSessionsAsync(
        ScratchStack stack, int sessions, int exchanges, CancellationToken cancellationToken)
    {
        var ids = await Task.WhenAll(Enumerable.Range(0, sessions)
            .Select(_ => stack.StartSessionAsync(exchanges, delay: 0, cancellationToken)));
        var ended = new List<JsonNode>();
        foreach (var id in ids)
        {
            ended.Add(await stack.WaitForSessionEndAsync(id, BenchOptions.SessionTimeout, cancellationToken));
        }

        var failed = ended.FirstOrDefault(s => s["status"]?.GetValue<string>() != "completed" || s["exchanges"]?.GetValue<int>() != exchanges);
        if (failed is not null)
        {
            throw new InvalidOperationException($"A benchmark session did not complete all {exchanges} exchanges: {failed.ToJsonString()}");
        }

        var start = ended.Min(s => s["started_at"]!.GetValue<DateTimeOffset>());
        var end = ended.Max(s => s["ended_at"]!.GetValue<DateTimeOffset>());
        return (sessions * exchanges, end - start);
    }
}
