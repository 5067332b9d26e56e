using System.Net.Http.Json;
using System.Text.Json;
using OpenQA.Selenium;
using Ops.Tests.Infrastructure;

namespace Ops.Tests.Dashboard;

/// <summary>The dashboard charts each teacher's share and reward over the session (real services, real browser).</summary>
[Collection(TeacherServicesCollection.Name)]
public sealed class TeacherDashboardTests(BridgeServices services)
{
    [Fact]
    public async Task A_session_with_a_pool_shows_each_teacher_in_the_table_and_the_chart()
    {
        // claude is not configured in this LlmServer: each exchange's first attempt fails and falls back to embedded.
        using var start = await services.Stack.MiddlewareClient.PostAsJsonAsync("/api/training/start",
            new { max_exchanges = 4, delay = 0, teachers = new[] { "claude", "embedded" }, routing = "first" });
        start.EnsureSuccessStatusCode();
        var id = (await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("session_id").GetString()!;
        await Poll.UntilAsync(async () =>
        {
            var session = await services.Stack.MiddlewareClient.GetFromJsonAsync<JsonElement>($"/api/training/sessions/{id}");
            return session.GetProperty("status").GetString() is "completed" or "failed" or "stopped";
        }, TimeSpan.FromSeconds(90), "the session ended");
        var record = await services.Stack.MiddlewareClient.GetFromJsonAsync<JsonElement>($"/api/training/teachers?session_id={id}");
        var stats = record.GetProperty("teachers").EnumerateArray().ToDictionary(t => t.GetProperty("teacher").GetString()!);
        stats["embedded"].GetProperty("turns").GetInt32().ShouldBe(4, record.ToString());
        stats["claude"].GetProperty("failures").GetInt32().ShouldBeGreaterThanOrEqualTo(4, record.ToString());

        using var driver = Browser.Start();
        driver.Navigate().GoToUrl(services.Stack.Middleware.Url);
        var key = driver.FindElement(By.Id("api-key"));
        key.Clear();
        key.SendKeys(BridgeServices.ApiKey);
        driver.FindElement(By.Id("api-key-save")).Click();

        driver.Until(d => d.FindElement(By.Id("teachers-panel")).Displayed, "the teachers panel shown", 60);
        driver.Until(d => d.FindElements(By.CssSelector("#teachers tbody tr")).Count == 2, "a row per teacher");
        var share = driver.Until(d => d.FindElements(By.CssSelector("#teachers-chart polyline[data-teacher='embedded'][data-series='share']")).FirstOrDefault(), "embedded's share line")!;
        share.GetAttribute("points")!.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length.ShouldBe(4);
        driver.FindElements(By.CssSelector("#teachers-chart polyline[data-teacher='embedded'][data-series='reward']")).ShouldHaveSingleItem();
        driver.FindElement(By.CssSelector("#teachers tbody")).Text.ShouldContain("claude");
    }
}
