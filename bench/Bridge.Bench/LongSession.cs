using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bridge.Testing;

namespace Bridge.Bench;

/// <summary>
/// One long session at delay 0 on a fresh stack, sampled every thousand exchanges: the exchange rate, what the
/// middleware process wrote per exchange (to storage, <c>/proc/&lt;pid&gt;/io</c> <c>write_bytes</c>, and in all, <c>wchar</c>,
/// which includes its console output) and its resident memory. Before and after, the same learner is called directly
/// by the benchmark, so the session's rate can be set against what Cerebrum itself sustains at that size.
/// </summary>
public sealed class LongSession(BenchRunner runner, Action<string> progress)
{
    private const int SampleEvery = 1000;

    public async Task<LongSessionResult> RunAsync(string mode, string? brokerConnectionString, int exchanges, int directExchanges, CancellationToken cancellationToken)
    {
        progress($"long session ({mode}): starting Cerebrum, LlmServer and Middleware");
        await using var stack = await runner.StartStackAsync(brokerConnectionString, cancellationToken);
        var pid = stack.Middleware.ProcessId;
        var direct = new DirectExchanges(stack.Http, new HttpTeacherTurns(stack.Http, stack.LlmServers[0].Url), stack.Cerebrum.Url);

        progress($"long session: {directExchanges} direct exchanges against the fresh learner");
        var directBefore = Rate(await direct.RunAsync(directExchanges, cancellationToken));

        progress($"long session: {exchanges} exchanges through the middleware at delay 0");
        var id = await stack.StartSessionAsync(exchanges, delay: 0, cancellationToken);
        var rows = new List<LongSessionRow>();
        var last = Sample(pid, 0);
        var clock = Stopwatch.StartNew();
        var timeout = TimeSpan.FromSeconds(Math.Max(600, exchanges / 5.0));
        while (last.Exchanges < exchanges)
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"The long session made {last.Exchanges} of {exchanges} exchanges in {timeout.TotalSeconds:0} s.{Environment.NewLine}{stack.Diagnostics()}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
            var count = (await stack.GetSessionAsync(id, cancellationToken)).Exchanges();
            if (count / SampleEvery == last.Exchanges / SampleEvery && count < exchanges)
            {
                continue;
            }

            var now = Sample(pid, count, clock.Elapsed);
            var done = now.Exchanges - last.Exchanges;
            if (done > 0)
            {
                rows.Add(new LongSessionRow(
                    now.Exchanges,
                    done / (now.At - last.At).TotalSeconds,
                    (now.WriteBytes - last.WriteBytes) / (double)done,
                    (now.Wchar - last.Wchar) / (double)done,
                    now.RssBytes / (1024.0 * 1024.0)));
                progress($"long session: {now.Exchanges} exchanges, {rows[^1].ExchangesPerSecond:0.0}/s, {rows[^1].DiskBytesPerExchange:0} B to storage per exchange, RSS {rows[^1].RssMegabytes:0.0} MB");
            }

            last = now;
        }

        var ended = await stack.WaitForSessionEndAsync(id, TimeSpan.FromMinutes(2), cancellationToken);
        if (ended.Status() != "completed")
        {
            throw new InvalidOperationException($"The long session did not complete: {ended}");
        }

        progress($"long session: {directExchanges} direct exchanges against the same learner, now {exchanges + directExchanges} exchanges old");
        var directAfter = Rate(await direct.RunAsync(directExchanges, cancellationToken));

        // The learner alone on exactly what the session's last stretch sent it: if this rate is the session's, the
        // learner is what limits the session; if it is much higher, the bridge is.
        progress($"long session: Cerebrum alone on the session's last {directExchanges} teacher turns");
        var replayed = await ReplayToCerebrumAsync(stack, id, exchanges, directExchanges, cancellationToken);
        return new LongSessionResult(mode, rows, directBefore, directAfter, directExchanges, replayed);
    }

    private static async Task<double> ReplayToCerebrumAsync(BridgeStack stack, Guid sessionId, int exchanges, int count, CancellationToken cancellationToken)
    {
        var teacherTurns = new List<string>();
        string? next = $"/api/training/log?session_id={sessionId}&after={Math.Max(0, exchanges - count)}&limit=1000";
        for (var page = 0; next is not null && page < 100; page++)
        {
            var log = await stack.Http.GetFromJsonAsync<JsonNode>(new Uri(stack.Middleware.Url, next), cancellationToken)
                ?? throw new InvalidOperationException("GET /api/training/log answered null.");
            teacherTurns.AddRange(log["exchanges"]!.AsArray().Select(e => e!["teacher"]!.GetValue<string>()));
            next = log["next"]?.GetValue<string>();
        }

        var conversation = $"replay-{Guid.NewGuid():N}";
        var times = new List<double>(teacherTurns.Count);
        for (var i = 0; i < teacherTurns.Count; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(stack.Cerebrum.Url, "/api/chat"))
            {
                Content = JsonContent.Create(new { message = teacherTurns[i] }),
            };
            request.Headers.Add("Idempotency-Key", $"{conversation}:{i + 1}");
            var clock = Stopwatch.StartNew();
            using var response = await stack.Http.SendAsync(request, cancellationToken);
            response.EnsureSuccessStatusCode();
            await response.Content.ReadAsByteArrayAsync(cancellationToken);
            times.Add(clock.Elapsed.TotalMilliseconds);
        }

        return Rate(times);
    }

    private static double Rate(List<double> milliseconds) => milliseconds.Count / (milliseconds.Sum() / 1000.0);

    private static ProcessSample Sample(int pid, int exchanges, TimeSpan at = default)
    {
        long Field(string file, string name) =>
            File.ReadLines($"/proc/{pid}/{file}")
                .Select(l => l.Split(':', 2))
                .Where(p => p.Length == 2 && p[0].Trim() == name)
                .Select(p => long.Parse(p[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture))
                .First();

        return new ProcessSample(exchanges, at, Field("io", "write_bytes"), Field("io", "wchar"), Field("status", "VmRSS") * 1024);
    }

    private sealed record ProcessSample(int Exchanges, TimeSpan At, long WriteBytes, long Wchar, long RssBytes);
}
