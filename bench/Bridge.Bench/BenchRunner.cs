using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bridge.Testing;

namespace Bridge.Bench;

/// <summary>
/// Runs each mode on a fresh stack (real processes, embedded teacher, delay 0): the transport floor, then the
/// per-exchange overhead with direct and middleware blocks alternating so that Cerebrum's growing memory weighs on
/// both alike, then concurrent sessions against as many concurrent direct loops. The direct loop uses the mode's
/// transport for teacher turns (RabbitMQ in bus mode), so the overhead is what the middleware adds; in bus mode a
/// second row compares the same sessions with a direct loop over HTTP.
/// </summary>
public sealed class BenchRunner(BenchOptions options, ConsoleLog serviceLog, Action<string> progress)
{
    public const string HttpMode = "HTTP (Refit)";
    public const string BusMode = "RabbitMQ (MassTransit)";
    private const int FloorSamples = 500;

    public async Task<(IReadOnlyList<OverheadResult> Overhead, IReadOnlyList<ThroughputResult> Throughput)> RunModeAsync(
        string mode, string? brokerConnectionString, CancellationToken cancellationToken)
    {
        progress($"{mode}: starting Cerebrum, LlmServer and Middleware");
        await using var stack = await StartStackAsync(brokerConnectionString, cancellationToken);
        var httpTeacher = new HttpTeacherTurns(stack.Http, stack.LlmServers[0].Url);
        // The direct loop asks for teacher turns over the middleware's own transport in this mode.
        await using var busTeacher = brokerConnectionString is null ? null : await BusTeacherTurns.StartAsync(brokerConnectionString, cancellationToken);
        ITeacherTurns teacher = busTeacher is null ? httpTeacher : busTeacher;
        var direct = new DirectExchanges(stack.Http, teacher, stack.Cerebrum.Url);
        // Over the bus, also the plain HTTP loop: what choosing RabbitMQ costs against not using it at all.
        var httpDirect = busTeacher is null ? null : new DirectExchanges(stack.Http, httpTeacher, stack.Cerebrum.Url);

        progress($"{mode}: transport floor ({FloorSamples} round trips)");
        var (floor, floorWhat) = brokerConnectionString is null
            ? (await TransportFloor.HttpAsync(stack.Http, stack.LlmServers[0].Url, FloorSamples, cancellationToken), "HTTP GET /alive")
            : (await TransportFloor.BusAsync(brokerConnectionString, FloorSamples, cancellationToken), "MassTransit request/response");

        progress($"{mode}: warming up");
        await direct.RunAsync(20, cancellationToken);
        if (httpDirect is not null)
        {
            await httpDirect.RunAsync(20, cancellationToken);
        }

        await RunSessionsAsync(stack, 1, 20, cancellationToken);

        var directTimes = new List<double>();
        var httpDirectTimes = new List<double>();
        var middlewareTimes = new List<double>();
        for (var round = 0; round < options.Rounds; round++)
        {
            var block = options.Exchanges / options.Rounds + (round < options.Exchanges % options.Rounds ? 1 : 0);
            progress($"{mode}: overhead round {round + 1}/{options.Rounds}, {block} exchanges direct then through the middleware");
            directTimes.AddRange(await direct.RunAsync(block, cancellationToken));
            if (httpDirect is not null)
            {
                httpDirectTimes.AddRange(await httpDirect.RunAsync(block, cancellationToken));
            }

            var session = await RunSessionsAsync(stack, 1, block, cancellationToken);
            middlewareTimes.AddRange(await ExchangeTimesAsync(stack, session.Ids[0], cancellationToken));
        }

        var throughput = new List<ThroughputResult>();
        foreach (var sessions in options.Concurrency)
        {
            progress($"{mode}: {sessions} concurrent direct loop(s), then {sessions} concurrent session(s), of {options.ThroughputExchanges} exchanges");
            var loops = Enumerable.Range(0, sessions).Select(_ => new DirectExchanges(stack.Http, teacher, stack.Cerebrum.Url)).ToList();
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(loops.Select(l => l.RunAsync(options.ThroughputExchanges, cancellationToken)));
            var directElapsed = clock.Elapsed;
            var run = await RunSessionsAsync(stack, sessions, options.ThroughputExchanges, cancellationToken);
            throughput.Add(new ThroughputResult(mode, sessions, options.ThroughputExchanges, directElapsed, run.Elapsed));
        }

        var overhead = new List<OverheadResult> { new(mode, new Samples(directTimes), new Samples(middlewareTimes), floor, floorWhat) };
        if (httpDirect is not null)
        {
            overhead.Add(new OverheadResult($"{mode} vs direct HTTP", new Samples(httpDirectTimes), new Samples(middlewareTimes), floor, floorWhat));
        }

        return (overhead, throughput);
    }

    public Task<BridgeStack> StartStackAsync(string? brokerConnectionString, CancellationToken cancellationToken) =>
        BridgeStack.StartAsync(
            new BridgeStackOptions
            {
                BrokerConnectionString = brokerConnectionString,
                Teacher = "embedded",
                Console = serviceLog,
                MiddlewareEnvironment = new Dictionary<string, string?> { ["Training__Review"] = options.Review },
            }, cancellationToken);

    /// <summary>Starts <paramref name="sessions"/> sessions at once and times them by the middleware's own clock
    /// (first <c>started_at</c> to last <c>ended_at</c>), so polling adds nothing to the measurement.</summary>
    public static async Task<(IReadOnlyList<Guid> Ids, TimeSpan Elapsed)> RunSessionsAsync(
        BridgeStack stack, int sessions, int exchanges, CancellationToken cancellationToken)
    {
        var ids = await Task.WhenAll(Enumerable.Range(0, sessions)
            .Select(_ => stack.StartSessionAsync(new { max_exchanges = exchanges, delay = 0, topic = DirectExchanges.Topic }, cancellationToken)));
        var ended = new List<JsonElement>();
        foreach (var id in ids)
        {
            ended.Add(await stack.WaitForSessionEndAsync(id, BenchOptions.SessionTimeout, cancellationToken));
        }

        var failed = ended.Where(s => s.Status() != "completed" || s.Exchanges() != exchanges).ToList();
        if (failed.Count > 0)
        {
            throw new InvalidOperationException($"A benchmark session did not complete all {exchanges} exchanges: {failed[0]}");
        }

        var start = ended.Min(s => s.GetProperty("started_at").GetDateTimeOffset());
        var end = ended.Max(s => s.GetProperty("ended_at").GetDateTimeOffset());
        return (ids, end - start);
    }

    /// <summary>Each exchange's time by the middleware's clock: from the previous exchange's completion to its own
    /// (the first of a session is left out: it also pays for the session's start).</summary>
    private static async Task<List<double>> ExchangeTimesAsync(BridgeStack stack, Guid sessionId, CancellationToken cancellationToken)
    {
        var completions = new List<DateTimeOffset>();
        string? next = $"/api/training/log?session_id={sessionId}";
        for (var page = 0; next is not null && page < 1000; page++)
        {
            var log = await stack.Http.GetFromJsonAsync<JsonNode>(new Uri(stack.Middleware.Url, next), cancellationToken)
                ?? throw new InvalidOperationException("GET /api/training/log answered null.");
            completions.AddRange(log["exchanges"]!.AsArray().Select(e => e!["timestamp"]!.GetValue<DateTimeOffset>()));
            next = log["next"]?.GetValue<string>();
        }

        return completions.Zip(completions.Skip(1), (a, b) => (b - a).TotalMilliseconds).ToList();
    }
}
