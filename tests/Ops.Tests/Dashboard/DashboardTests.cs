using System.Net.Http.Json;
using System.Text.Json;
using OpenQA.Selenium;
using Ops.Tests.Infrastructure;

namespace Ops.Tests.Dashboard;

[Collection(BridgeServicesCollection.Name)]
public sealed class DashboardTests(BridgeServices services)
{
    [Fact]
    public async Task A_person_can_run_watch_and_stop_a_real_session_from_the_dashboard()
    {
        using var driver = Browser.Start();
        try
        {
            driver.Navigate().GoToUrl(services.Stack.Middleware.Url);
            driver.Title.ShouldContain("Bridge");

            // Without the key the control API answers 401 problem+json, and the page says so.
            Click(driver, "start-button");
            driver.Until(d => d.FindElement(By.Id("error")).Displayed, "the 401 problem shown");
            driver.FindElement(By.Id("error-title")).Text.ShouldBe("API key required");
            driver.FindElement(By.Id("error-detail")).Text.ShouldContain("X-Api-Key");

            SetValue(driver, "api-key", BridgeServices.ApiKey);
            Click(driver, "api-key-save");
            driver.Until(d => !d.FindElement(By.Id("error")).Displayed, "the error cleared");
            driver.Until(d => d.FindElement(By.Id("feed-state")).GetAttribute("data-state") == "live", "the event stream connected");

            // A validation problem from the middleware shows its field errors.
            SetValue(driver, "max-exchanges", "0");
            Click(driver, "start-button");
            driver.Until(d => d.FindElement(By.Id("error")).Displayed, "the validation problem shown");
            driver.FindElement(By.Id("error-list")).Text.ShouldContain("max_exchanges");

            SetValue(driver, "max-exchanges", "40");
            SetValue(driver, "delay", "0.3");
            SetValue(driver, "topic", "the weather");
            Click(driver, "start-button");

            driver.Until(d => d.FindElements(By.CssSelector("#conversation .exchange")).Count >= 4, "four exchanges in the conversation view", 90);
            // Nothing of the session is lost however the start response and the first events interleave: #1 is shown.
            var first = driver.Until(d =>
            {
                var item = d.FindElement(By.CssSelector("#conversation .exchange[data-sequence='1']"));
                return new[] { item.FindElement(By.CssSelector(".teacher .text")).Text, item.FindElement(By.CssSelector(".learner .text")).Text, item.FindElement(By.CssSelector(".meta")).Text };
            }, "exchange #1 shown");
            first[0].ShouldNotBeNullOrWhiteSpace("teacher line");
            first[1].ShouldNotBeNullOrWhiteSpace("learner line");
            first[2].ShouldStartWith("#1 · the weather");

            driver.Until(d => Points(d, "vocabulary") >= 3, "the vocabulary chart has grown to three samples", 60);
            // The charts are redrawn on every sample, so read the line inside the (stale-tolerant) wait.
            var points = driver.Until(d => d.FindElement(By.CssSelector("figure[data-series='vocabulary'] polyline")).GetAttribute("points"), "the vocabulary line");
            points!.Split(' ').Length.ShouldBeGreaterThanOrEqualTo(3);
            int.Parse(driver.FindElement(By.Id("learner-observations")).Text.Replace(",", "")).ShouldBeGreaterThan(0);
            var started = await services.Stack.MiddlewareClient.GetFromJsonAsync<JsonElement>("/api/training/status");
            var sessionId = started.GetProperty("session_id").GetString()!;
            var row = By.CssSelector($"#sessions tbody tr[data-session-id='{sessionId}'] .status");
            driver.Until(d => d.FindElement(row).Text == "running", "the session listed as running");

            // Kept with the test output; UPDATE_DOCS_SCREENSHOT=1 refreshes the picture in docs/operations.md.
            var screenshot = ((ITakesScreenshot)driver).GetScreenshot();
            screenshot.SaveAsFile(Path.Combine(AppContext.BaseDirectory, "dashboard.png"));
            if (Environment.GetEnvironmentVariable("UPDATE_DOCS_SCREENSHOT") == "1")
            {
                screenshot.SaveAsFile(SolutionLayout.Current.PathOf("docs", "dashboard.png"));
            }

            Click(driver, "stop-button");
            driver.Until(d => d.FindElement(row).Text == "stopped", "the session shown as stopped");

            var status = await services.Stack.MiddlewareClient.GetFromJsonAsync<JsonElement>($"/api/training/sessions/{sessionId}");
            status.GetProperty("status").GetString().ShouldBe("stopped");
            status.GetProperty("exchanges").GetInt32().ShouldBeInRange(4, 39);

            // The key survives a reload, and the conversation comes back from the session log.
            driver.Navigate().Refresh();
            driver.FindElement(By.Id("api-key")).GetAttribute("value").ShouldBe(BridgeServices.ApiKey);
            driver.Until(d => d.FindElements(By.CssSelector("#conversation .exchange")).Count >= 4, "the conversation reloaded from the log");
        }
        catch (Exception ex) when (ex is not Shouldly.ShouldAssertException)
        {
            throw new Xunit.Sdk.XunitException($"{ex.Message}\n\nPage errors: {driver.FindElement(By.Id("error")).Text}\n\n{services.Stack.Diagnostics()}", ex);
        }
    }

    private static int Points(IWebDriver driver, string series) =>
        driver.FindElements(By.CssSelector($"figure[data-series='{series}']")) is [var chart, ..] ? int.Parse(chart.GetAttribute("data-points")!) : 0;

    private static void Click(IWebDriver driver, string id) => driver.FindElement(By.Id(id)).Click();

    private static void SetValue(IWebDriver driver, string id, string value)
    {
        var input = driver.FindElement(By.Id(id));
        input.Clear();
        input.SendKeys(value);
    }
}
