using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Bridge.IntegrationTests.Infrastructure;

namespace Bridge.IntegrationTests.AppHost;

/// <summary>
/// The AppHost as a user runs it, dashboard included: the broker resource when rabbitmq-server is installed, one exchange
/// as one trace across the three services (each exchange its own) in the dashboard's telemetry API, and Ctrl+C stopping all of it.
/// </summary>
public sealed class AppHostRunTests
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(240);

    [Fact]
    public async Task A_run_serves_the_stack_and_its_traces_in_the_dashboard_and_sigint_stops_everything()
    {
        var offset = FreePorts.NextAppHostOffset();
        await using var host = AppHostProcess.Start(offset, "--teacher", "embedded");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
        var ports = new[] { 8000, 8001, 8002 }.Select(p => p + offset).ToArray();

        var healthy = await Poll.UntilAsync(() => CountHealthyAsync(http, ports), count => count == ports.Length, ReadyTimeout);
        healthy.ShouldBe(ports.Length, $"not every service answered /health within {ReadyTimeout.TotalSeconds:0} s:\n{host.Output}");
        var withBroker = host.Output.Contains("broker: a private rabbitmq-server node", StringComparison.Ordinal);
        (withBroker || !File.Exists("/usr/lib/rabbitmq/bin/rabbitmq-server")).ShouldBeTrue($"rabbitmq-server is installed, so the AppHost must run a node:\n{host.Output}");

        using var start = await http.PostAsJsonAsync($"http://localhost:{8002 + offset}/api/training/start", new { max_exchanges = 2, delay = 0 });
        start.StatusCode.ShouldBe(HttpStatusCode.Accepted, await start.Content.ReadAsStringAsync());

        // Each exchange is its own trace: middleware -> Cerebrum over HTTP, middleware -> RabbitMQ -> LlmServer (or HTTP).
        var dashboard = new Uri($"http://localhost:{18888 + offset}/api/telemetry/traces");
        var traces = await Poll.UntilAsync(() => ExchangeTracesAsync(http, dashboard), t => t.Count >= 2 && t.All(e => Spans(e, withBroker)), TimeSpan.FromSeconds(90));
        traces.Count.ShouldBe(2, $"two exchanges, two traces rooted at the middleware's exchange activity: {string.Join("; ", traces)}");
        foreach (var trace in traces)
        {
            trace.Services.ShouldBe(["cerebrum", "llmserver", "middleware"], ignoreOrder: true, $"an exchange's trace in the dashboard: {trace}");
            if (withBroker)
            {
                trace.Scopes.ShouldContain("MassTransit", $"the exchange's trace must pass through the broker: {trace}");
            }
        }

        await host.InterruptAsync();
        (await host.WaitForExitAsync(TimeSpan.FromSeconds(90))).ShouldBeTrue($"the AppHost did not exit after SIGINT:\n{host.Output}");
        host.ExitCode.ShouldBe(0, host.Output);
        var left = await Poll.UntilAsync(() => Task.FromResult(host.Descendants()), d => d.Count == 0, TimeSpan.FromSeconds(60));
        left.ShouldBeEmpty("processes the AppHost started outlived it");
        ports.ShouldAllBe(port => FreePorts.IsFree(port));
    }

    private static bool Spans(TraceSummary trace, bool withBroker) =>
        trace.Services.Count == 3 && (!withBroker || trace.Scopes.Contains("MassTransit"));

    private static async Task<int> CountHealthyAsync(HttpClient http, IEnumerable<int> ports)
    {
        var healthy = 0;
        foreach (var port in ports)
        {
            try
            {
                using var response = await http.GetAsync($"http://localhost:{port}/health");
                healthy += response.StatusCode == HttpStatusCode.OK ? 1 : 0;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }
        }

        return healthy;
    }

    /// <summary>
    /// The traces in <c>/api/telemetry/traces</c> whose root is the middleware's <c>exchange</c> activity, each with the
    /// services and instrumentation scopes that have spans in it.
    /// </summary>
    private static async Task<IReadOnlyList<TraceSummary>> ExchangeTracesAsync(HttpClient http, Uri traces)
    {
        try
        {
            using var document = JsonDocument.Parse(await http.GetStringAsync(traces));
            var byTrace = new Dictionary<string, TraceSummary>();
            var exchangeRoots = new HashSet<string>();
            foreach (var resourceSpans in document.RootElement.GetProperty("data").GetProperty("resourceSpans").EnumerateArray())
            {
                var service = resourceSpans.GetProperty("resource").GetProperty("attributes").EnumerateArray()
                    .Where(a => a.GetProperty("key").GetString() == "service.name")
                    .Select(a => a.GetProperty("value").GetProperty("stringValue").GetString()!)
                    .FirstOrDefault() ?? "?";
                foreach (var scopeSpans in resourceSpans.GetProperty("scopeSpans").EnumerateArray())
                {
                    var scope = scopeSpans.GetProperty("scope").GetProperty("name").GetString() ?? "?";
                    foreach (var span in scopeSpans.GetProperty("spans").EnumerateArray())
                    {
                        var id = span.GetProperty("traceId").GetString()!;
                        var summary = byTrace.TryGetValue(id, out var known) ? known : byTrace[id] = new TraceSummary(id, [], []);
                        summary.Services.Add(service);
                        summary.Scopes.Add(scope);
                        var isRoot = !span.TryGetProperty("parentSpanId", out var parent) || string.IsNullOrEmpty(parent.GetString());
                        if (isRoot && scope == "Bridge.Middleware" && span.GetProperty("name").GetString() == "exchange")
                        {
                            exchangeRoots.Add(id);
                        }
                    }
                }
            }

            return [.. byTrace.Values.Where(t => exchangeRoots.Contains(t.TraceId))];
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException)
        {
            return [new TraceSummary($"none yet ({ex.GetType().Name})", [], [])];
        }
    }

    private sealed record TraceSummary(string TraceId, HashSet<string> Services, HashSet<string> Scopes)
    {
        public override string ToString() => $"{TraceId}: services {string.Join(", ", Services)}; scopes {string.Join(", ", Scopes)}";
    }
}
