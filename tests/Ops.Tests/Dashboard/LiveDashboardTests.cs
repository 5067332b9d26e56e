using System.Net.Http.Json;
using System.Text.Json;
using OpenQA.Selenium;
using Ops.Tests.Infrastructure;

namespace Ops.Tests.Dashboard;

/// <summary>
/// The dashboard against a session at delay 0 (as fast as the learner answers): every panel must show what the
/// services say now, not what they said when the session started, and it must not spend one request per exchange.
/// </summary>
[Collection(BridgeServicesCollection.Name)]
public sealed class LiveDashboardTests(BridgeServices services)
{
    private const int PanelSeconds = 5;

    [Fact]
    public async Task At_delay_0_each_panel_shows_current_numbers_within_5_seconds_without_a_request_per_exchange()
    {
        using var driver = Browser.Start();
        Guid sessionId = default;
        try
        {
            driver.Navigate().GoToUrl(services.Stack.Middleware.Url);
            var input = driver.FindElement(By.Id("api-key"));
            input.Clear();
            input.SendKeys(BridgeServices.ApiKey);
            driver.FindElement(By.Id("api-key-save")).Click();
            driver.Until(d => d.FindElement(By.Id("feed-state")).GetAttribute("data-state") == "live", "the event stream connected");

            using (var start = await services.Stack.MiddlewareClient.PostAsJsonAsync("/api/training/start", new { max_exchanges = 20000, delay = 0, topic = "the weather" }))
            {
                start.EnsureSuccessStatusCode();
                sessionId = (await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("session_id").GetGuid();
            }

            await WaitForExchangesAsync(sessionId, 30);
            var script = (IJavaScriptExecutor)driver;
            var windowStart = Convert.ToDouble(script.ExecuteScript("performance.setResourceTimingBufferSize(100000); performance.clearResourceTimings(); return performance.now();"));
            var exchangesAtStart = await ExchangesAsync(sessionId);

            // Three checkpoints while the session runs: each panel catches up with the truth of that moment within 5 s.
            for (var checkpoint = 0; checkpoint < 3; checkpoint++)
            {
                await AssertPanelsCatchUpAsync(driver, sessionId, $"checkpoint {checkpoint + 1}");
            }

            var window = (Convert.ToDouble(script.ExecuteScript("return performance.now();")) - windowStart) / 1000.0;
            var requests = Convert.ToInt64(script.ExecuteScript("return performance.getEntriesByType('resource').length;"));
            var exchanges = await ExchangesAsync(sessionId) - exchangesAtStart;
            exchanges.ShouldBeGreaterThan(0, "the session must have run during the checkpoints");
            // Three panels refreshed at most once a second each (+ slack for the page's own start), whatever the exchange rate.
            requests.ShouldBeLessThanOrEqualTo((long)Math.Ceiling(window * 4) + 4,
                $"{requests} requests in {window:0.0} s while {exchanges} exchanges completed: the dashboard must coalesce, not fetch per event");

            // A reload mid-session pages the latest exchanges in from the log, not the whole session.
            driver.Navigate().Refresh();
            await AssertPanelsCatchUpAsync(driver, sessionId, "after a reload");
        }
        catch (Exception ex) when (ex is not Shouldly.ShouldAssertException)
        {
            throw new Xunit.Sdk.XunitException($"{ex.Message}\n\nPage errors: {driver.FindElement(By.Id("error")).Text}\n\n{services.Stack.Diagnostics()}", ex);
        }
        finally
        {
            if (sessionId != default)
            {
                using var stop = await services.Stack.MiddlewareClient.PostAsync($"/api/training/stop?session_id={sessionId}", null);
            }
        }
    }

    private async Task AssertPanelsCatchUpAsync(IWebDriver driver, Guid sessionId, string when)
    {
        var exchanges = await ExchangesAsync(sessionId);
        var observations = (await services.Stack.MiddlewareClient.GetFromJsonAsync<JsonElement>("/api/cerebrum/status")).GetProperty("observations").GetInt64();

        // Each read is one script, so a panel the page redraws between finding an element and reading it cannot
        // make the read fail (a stale element), however slowly a loaded machine runs the commands.
        driver.Until(d => Read(d, "document.getElementById('progress-label')?.dataset.exchanges") >= exchanges,
            $"{when}: the progress shows at least {exchanges} exchanges", PanelSeconds);
        driver.Until(d => Read(d, $"document.querySelector(\"#sessions tbody tr[data-session-id='{sessionId}'] .exchanges\")?.dataset.exchanges") >= exchanges,
            $"{when}: the sessions table shows at least {exchanges} exchanges", PanelSeconds);
        driver.Until(d => Read(d, "document.getElementById('learner-observations')?.textContent.replaceAll(',', '')") >= observations,
            $"{when}: the learner panel shows at least {observations} observations", PanelSeconds);
        driver.Until(d => Read(d, "[...document.querySelectorAll('#conversation .exchange')].at(-1)?.dataset.sequence") >= exchanges,
            $"{when}: the conversation shows exchange #{exchanges} or later", PanelSeconds);
        driver.Until(d => Read(d, "document.querySelector(\"figure[data-series='vocabulary']\")?.dataset.points") > 0,
            $"{when}: the metrics are drawn", PanelSeconds);

        var shown = driver.FindElements(By.CssSelector("#conversation .exchange")).Count;
        shown.ShouldBeInRange(1, 200, $"{when}: the conversation keeps a capped number of exchanges on screen");
    }

    private async Task<int> ExchangesAsync(Guid sessionId) =>
        (await services.Stack.MiddlewareClient.GetFromJsonAsync<JsonElement>($"/api/training/sessions/{sessionId}?limit=1")).GetProperty("exchanges").GetInt32();

    private async Task WaitForExchangesAsync(Guid sessionId, int exchanges)
    {
        // Bounded by the number of reads (600, 100 ms apart), not by a clock that a loaded machine would run down.
        if (await Poll.UntilAsync(() => ExchangesAsync(sessionId), count => count >= exchanges, TimeSpan.MaxValue, maxReads: 600,
            interval: TimeSpan.FromMilliseconds(100)) >= exchanges)
        {
            return;
        }

        throw new TimeoutException($"The session did not reach {exchanges} exchanges in 60 s.\n{services.Stack.Diagnostics()}");
    }

    /// <summary>The number an expression over the page gives, or -1 while it gives none.</summary>
    private static long Read(IWebDriver driver, string expression) =>
        long.TryParse(((IJavaScriptExecutor)driver).ExecuteScript($"return {expression} ?? null;")?.ToString(), out var n) ? n : -1;
}
