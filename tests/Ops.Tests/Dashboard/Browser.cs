using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace Ops.Tests.Dashboard;

/// <summary>Debian's headless Chromium through its own chromedriver (no Selenium Manager download).</summary>
public static class Browser
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string DriverPath = "/usr/bin/chromedriver";

    public static ChromeDriver Start()
    {
        File.Exists(ChromiumPath).ShouldBeTrue("Chromium is not installed: apt-get install -y chromium chromium-driver (./test.sh does this).");
        File.Exists(DriverPath).ShouldBeTrue("chromedriver is not installed: apt-get install -y chromium-driver (./test.sh does this).");

        var options = new ChromeOptions { BinaryLocation = ChromiumPath };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1500,1100");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(DriverPath)!, Path.GetFileName(DriverPath));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        return new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }

    /// <summary>Waits, bounded, until <paramref name="condition"/> holds in the page.</summary>
    public static T Until<T>(this IWebDriver driver, Func<IWebDriver, T> condition, string what, int seconds = 60)
    {
        var wait = new WebDriverWait(driver, TimeSpan.FromSeconds(seconds)) { PollingInterval = TimeSpan.FromMilliseconds(200), Message = what };
        wait.IgnoreExceptionTypes(typeof(NoSuchElementException), typeof(StaleElementReferenceException));
        return wait.Until(condition);
    }
}
