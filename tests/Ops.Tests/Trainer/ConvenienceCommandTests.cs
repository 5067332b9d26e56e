using System.Net.Http.Json;
using System.Text.Json;
using Ops.Tests.Infrastructure;

namespace Ops.Tests.Trainer;

/// <summary><c>trainer teachers</c> and <c>trainer providers</c> against the real services.</summary>
[Collection(TeacherServicesCollection.Name)]
public sealed class ConvenienceCommandTests(BridgeServices services)
{
    [Fact]
    public async Task Teachers_prints_the_record_of_a_session_with_a_pool_as_a_table()
    {
        using var start = await services.Stack.MiddlewareClient.PostAsJsonAsync("/api/training/start", new { max_exchanges = 3, delay = 0, teachers = new[] { "embedded" } });
        start.EnsureSuccessStatusCode();
        var id = (await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("session_id").GetString()!;
        await Poll.UntilAsync(async () =>
        {
            var record = await services.Stack.MiddlewareClient.GetFromJsonAsync<JsonElement>($"/api/training/teachers?session_id={id}");
            return record.GetProperty("teachers").EnumerateArray().Sum(t => t.GetProperty("turns").GetInt32()) == 3;
        }, TimeSpan.FromSeconds(60), "three routed turns");

        var (exitCode, output) = await TrainerCli.RunAsync(TimeSpan.FromSeconds(60),
            "teachers", "--session", id, "--middleware", services.Stack.Middleware.Url.ToString(), "--api-key", BridgeServices.ApiKey);

        exitCode.ShouldBe(0, output);
        output.ShouldContain("mean reward");
        output.Split('\n').ShouldContain(line => line.Contains("embedded") && line.Contains(" 3 "), output);
    }

    [Fact]
    public async Task Providers_lists_every_provider_and_what_serves_each_role()
    {
        var (exitCode, output) = await TrainerCli.RunAsync(TimeSpan.FromSeconds(60),
            "providers", "--middleware", services.Stack.Middleware.Url.ToString(), "--api-key", BridgeServices.ApiKey);

        exitCode.ShouldBe(0, output);
        foreach (var provider in new[] { "ollama", "openai", "gemini", "claude", "embedded" })
        {
            output.ShouldContain(provider);
        }

        output.ShouldContain("teacher: embedded/");
        output.ShouldContain("reviewer: ");
    }

    [Fact]
    public async Task An_unknown_option_is_a_usage_error()
    {
        var (exitCode, output) = await TrainerCli.RunAsync(TimeSpan.FromSeconds(60), "teachers", "--colour", "red");
        exitCode.ShouldBe(2, output);
        output.ShouldContain("Usage: trainer teachers");
    }
}
