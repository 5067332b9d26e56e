using System.Net.Http.Json;
using System.Text.Json;
using OpenQA.Selenium;
using OpenQA.Selenium.Interactions;
using Ops.Tests.Infrastructure;

namespace Ops.Tests.Dashboard;

[Collection(BridgeServicesCollection.Name)]
public sealed class ReviewDashboardTests(BridgeServices services)
{
    [Fact]
    public async Task A_person_approves_and_denies_exchanges_from_the_dashboard_with_buttons_and_keys()
    {
        using var driver = Browser.Start();
        try
        {
            driver.Navigate().GoToUrl(services.Stack.Middleware.Url);
            var key = driver.FindElement(By.Id("api-key"));
            key.Clear();
            key.SendKeys(BridgeServices.ApiKey);
            driver.FindElement(By.Id("api-key-save")).Click();
            driver.Until(d => d.FindElement(By.Id("feed-state")).GetAttribute("data-state") == "live", "the event stream connected");

            SetValue(driver, "max-exchanges", "5");
            SetValue(driver, "delay", "0");
            SetValue(driver, "topic", "food and cooking");
            driver.FindElement(By.Id("start-button")).Click();
            var sessionId = driver.Until(d => d.FindElement(By.Id("conversation-session")).Text is { Length: > 0 } t ? t : null, "the session followed")!;

            // Every exchange shows the teacher's side's verdict.
            driver.Until(d => d.FindElements(By.CssSelector("#conversation .review[data-status='reviewed']")).Count == 5, "five reviewed exchanges", 90);
            driver.FindElements(By.CssSelector("#conversation .review-verdict")).ShouldAllBe(v => v.Text.Length > 0);

            var status = await services.Stack.MiddlewareClient.GetFromJsonAsync<JsonElement>("/api/training/status");
            var id = status.GetProperty("session_id").GetString()!;
            id.ShouldStartWith(sessionId.Replace("session ", ""));
            var before = await services.Stack.MiddlewareClient.GetFromJsonAsync<JsonElement>($"/api/training/reviews?session_id={id}");
            before.GetProperty("human_reviewed").GetInt32().ShouldBe(0);

            // Deny #2 with a reason and a better reply, by selecting it and pressing d.
            var second = Exchange(driver, 2);
            second.FindElement(By.CssSelector(".review-reason")).SendKeys("does not answer");
            second.FindElement(By.CssSelector(".review-correction")).SendKeys("I like rice and fish.");
            second.FindElement(By.CssSelector(".meta")).Click();
            new Actions(driver).SendKeys("d").Perform();
            driver.Until(d => Exchange(d, 2).FindElement(By.CssSelector(".review")).GetAttribute("data-decision") == "denied", "#2 shown as denied");

            // Approve #4 with the key a (after selecting it) and #5 with its button.
            Exchange(driver, 4).FindElement(By.CssSelector(".meta")).Click();
            new Actions(driver).SendKeys("a").Perform();
            Exchange(driver, 5).FindElement(By.CssSelector(".review-approve")).Click();
            driver.Until(d => Exchange(d, 4).FindElement(By.CssSelector(".review")).GetAttribute("data-decision") == "approved", "#4 shown as approved");
            driver.Until(d => Exchange(d, 5).FindElement(By.CssSelector(".review")).GetAttribute("data-decision") == "approved", "#5 shown as approved");
            Exchange(driver, 4).FindElement(By.CssSelector(".review-verdict")).Text.ShouldContain("approved by a person");

            // The summary changed and each verdict reached Cerebrum (it acknowledged the feedback).
            await Poll.UntilAsync(async () =>
            {
                var summary = await services.Stack.MiddlewareClient.GetFromJsonAsync<JsonElement>($"/api/training/reviews?session_id={id}");
                return summary.GetProperty("human_reviewed").GetInt32() == 3 && summary.GetProperty("feedback").GetProperty("pending").GetInt32() == 0;
            }, TimeSpan.FromSeconds(30), "three human verdicts delivered");
            var after = await services.Stack.MiddlewareClient.GetFromJsonAsync<JsonElement>($"/api/training/reviews?session_id={id}");
            after.GetProperty("feedback").GetProperty("delivered").GetInt32().ShouldBe(5);
            var log = await services.Stack.MiddlewareClient.GetFromJsonAsync<JsonElement>($"/api/training/log?session_id={id}");
            var denied = log.GetProperty("exchanges")[1].GetProperty("review");
            denied.GetProperty("human").GetProperty("approved").GetBoolean().ShouldBeFalse();
            denied.GetProperty("human").GetProperty("reason").GetString().ShouldBe("does not answer");
            denied.GetProperty("feedback").GetProperty("correction").GetString().ShouldBe("I like rice and fish.");
            denied.GetProperty("feedback").GetProperty("score").GetDouble().ShouldBe(0);
            denied.GetProperty("feedback").GetProperty("state").GetString().ShouldBe("delivered");
        }
        catch (Exception ex) when (ex is not Shouldly.ShouldAssertException)
        {
            throw new Xunit.Sdk.XunitException($"{ex.Message}\n\nPage errors: {driver.FindElement(By.Id("error")).Text}\n\n{services.Stack.Diagnostics()}", ex);
        }
    }

    private static IWebElement Exchange(IWebDriver driver, int sequence) =>
        driver.FindElement(By.CssSelector($"#conversation .exchange[data-sequence='{sequence}']"));

    private static void SetValue(IWebDriver driver, string id, string value)
    {
        var input = driver.FindElement(By.Id(id));
        input.Clear();
        input.SendKeys(value);
    }
}
