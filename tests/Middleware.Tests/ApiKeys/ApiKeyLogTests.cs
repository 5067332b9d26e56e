using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Middleware.Tests.Doubles;

namespace Middleware.Tests.ApiKeys;

/// <summary>
/// The built Middleware.dll run as an operator runs it (its own Serilog set-up, Production), with keys configured:
/// every route is called with the right keys in every accepted form and with wrong ones, and its whole console output
/// is read after a graceful stop. No key appears in it.
/// </summary>
public sealed class ApiKeyLogTests : PeerDoublesTest
{
    [Fact]
    public async Task No_key_right_or_wrong_appears_in_the_middlewares_log()
    {
        const string wrongKey = "k3y-Wrong_but_maybe_someones_real_key";
        IReadOnlyList<RouteCall> routes;
        await using (var inProcess = MiddlewareHost.Start(Files, Cerebrum.Address, Llm.Address, new Dictionary<string, string?>(ApiKeyTests.KeySettings)))
        {
            routes = MiddlewareRoutes.Guarded(inProcess.Services);
        }

        using var data = new MiddlewareFiles();
        var port = PeerDouble.UnusedPort();
        var start = MiddlewareProcess.StartInfo(data, Cerebrum.Address, Llm.Address, port, ApiKeyTests.KeySettings);

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
            await WaitUntilHealthyAsync(http, process);

            foreach (var route in routes)
            {
                foreach (var credential in new Action<HttpRequestMessage>[]
                {
                    r => r.Headers.Add("X-Api-Key", ApiKeyTests.Key),
                    r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiKeyTests.NextKey),
                    r => r.Headers.Add("X-Api-Key", wrongKey),
                    r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", wrongKey),
                })
                {
                    using var response = await route.SendAsync(http, "log", credential);
                }

                using var eventStream = await route.SendAsync(http, "log", r => r.Headers.Accept.ParseAdd("text/event-stream"), $"api_key={ApiKeyTests.RetiringKey}");
                using var wrongInUrl = await route.SendAsync(http, "log", r => r.Headers.Accept.ParseAdd("text/event-stream"), $"api_key={wrongKey}");
            }
        }
        finally
        {
            // A graceful stop (SIGTERM, as docker stop sends) flushes every log line before the output is read.
            using (var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))!)
            {
                await kill.WaitForExitAsync();
            }

            using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await process.WaitForExitAsync(exit.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }

        process.WaitForExit(); // drains the redirected streams
        string log;
        lock (output)
        {
            log = output.ToString();
        }

        // The log is the operator's: it did record the calls (so there was something to leak into) ...
        log.ShouldContain("needs an API key (3 configured)");
        log.ShouldContain("HTTP GET /api/training/status responded 401");
        log.ShouldContain("HTTP GET /api/training/status responded 200");
        log.ShouldContain("HTTP GET /api/cerebrum/status responded 200");
        log.ShouldContain("matches no configured key");
        // ... and holds none of the keys, right or wrong, in any form.
        foreach (var key in new[] { ApiKeyTests.Key, ApiKeyTests.NextKey, ApiKeyTests.RetiringKey, wrongKey })
        {
            log.ShouldNotContain(key, Case.Insensitive);
            log.ShouldNotContain(Uri.EscapeDataString(key), Case.Insensitive);
        }

        void Append(string? line)
        {
            if (line is not null)
            {
                lock (output)
                {
                    output.AppendLine(line);
                }
            }
        }
    }

    private static async Task WaitUntilHealthyAsync(HttpClient http, Process process)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        for (var i = 0; i < 600 && DateTime.UtcNow < deadline && !process.HasExited; i++)
        {
            try
            {
                if ((await http.GetAsync("/health")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The middleware process did not become healthy.");
    }
}
