using System.Diagnostics;
using System.Net;
using Middleware.Tests.Doubles;

namespace Middleware.Tests;

/// <summary>The built Middleware.dll started as a user starts it: another working directory, Production environment.</summary>
public sealed class ProcessTests
{
    [Fact]
    public async Task Started_from_any_directory_the_middleware_serves_the_dashboard_health_and_status()
    {
        var workDir = Directory.CreateTempSubdirectory("bridge-middleware-process-").FullName;
        var port = PeerDouble.UnusedPort();
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Middleware.dll"), "--urls", $"http://127.0.0.1:{port}"])
        {
            WorkingDirectory = workDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment.Remove("ConnectionStrings__rabbitmq");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
            await WaitUntilHealthyAsync(http, process);

            using var page = await http.GetAsync("/");
            page.StatusCode.ShouldBe(HttpStatusCode.OK);
            page.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
            (await page.Content.ReadAsStringAsync()).ShouldContain("<html", Case.Insensitive);

            (await http.GetAsync("/api/training/status")).StatusCode.ShouldBe(HttpStatusCode.OK);
            File.Exists(Path.Combine(workDir, "data", "middleware.db")).ShouldBeTrue();
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            (await output).ShouldContain("No RabbitMQ connection string: teacher turns go over HTTP");
            Directory.Delete(workDir, recursive: true);
        }
    }

    private static async Task WaitUntilHealthyAsync(HttpClient http, Process process)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        for (var i = 0; i < 600 && DateTime.UtcNow < deadline && !process.HasExited; i++)
        {
            try
            {
                if ((await http.GetAsync("/health")).IsSuccessStatusCode)
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
