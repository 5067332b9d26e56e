using System.Net.Http.Json;
using System.Text.Json;
using Ops.Tests.Infrastructure;

namespace Ops.Tests.Trainer;

[Collection(BridgeServicesCollection.Name)]
public sealed class ExportCommandTests(BridgeServices services)
{
    private async Task<string> ReviewedSessionAsync()
    {
        using var start = await services.Stack.MiddlewareClient.PostAsJsonAsync("/api/training/start", new { max_exchanges = 4, delay = 0, topic = "animals" });
        start.EnsureSuccessStatusCode();
        var id = (await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("session_id").GetString()!;
        await Poll.UntilAsync(async () =>
        {
            var summary = await services.Stack.MiddlewareClient.GetFromJsonAsync<JsonElement>($"/api/training/reviews?session_id={id}");
            return summary.GetProperty("reviewed").GetInt32() == 4;
        }, TimeSpan.FromSeconds(60), "four reviewed exchanges");
        return id;
    }

    [Fact]
    public async Task Export_sft_writes_chat_jsonl_to_standard_output()
    {
        var id = await ReviewedSessionAsync();

        var (exitCode, output) = await TrainerCli.RunAsync(TimeSpan.FromSeconds(60),
            "export", "--format", "sft", "--session", id, "--middleware", services.Stack.Middleware.Url.ToString(), "--api-key", BridgeServices.ApiKey);

        exitCode.ShouldBe(0, output);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBeGreaterThan(0);
        foreach (var line in lines)
        {
            var roles = JsonDocument.Parse(line).RootElement.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("role").GetString());
            roles.ShouldBe(["system", "user", "assistant"], line);
        }
    }

    [Fact]
    public async Task Export_modelfile_to_a_file_has_from_system_and_messages()
    {
        var id = await ReviewedSessionAsync();
        var file = Path.Combine(Path.GetTempPath(), $"bridge-modelfile-{Guid.NewGuid():N}");
        try
        {
            var (exitCode, output) = await TrainerCli.RunAsync(TimeSpan.FromSeconds(60),
                "export", "--format=modelfile", $"--session={id}", "--min-score=0", "--output", file,
                "--middleware", services.Stack.Middleware.Url.ToString(), "--api-key", BridgeServices.ApiKey);

            exitCode.ShouldBe(0, output);
            var lines = await File.ReadAllLinesAsync(file);
            lines.ShouldContain(l => l.StartsWith("FROM gemma3:1b"));
            lines.ShouldContain(l => l.StartsWith("SYSTEM \"\"\""));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_format_the_middleware_does_not_know_is_its_problem_detail_and_exit_1()
    {
        var (exitCode, output) = await TrainerCli.RunAsync(TimeSpan.FromSeconds(60),
            "export", "--format", "csv", "--middleware", services.Stack.Middleware.Url.ToString(), "--api-key", BridgeServices.ApiKey);

        exitCode.ShouldBe(1);
        output.ShouldContain("format");
        output.ShouldContain("sft, dpo, modelfile");
    }

    [Fact]
    public async Task Export_without_a_format_is_an_argument_error()
    {
        var (exitCode, output) = await TrainerCli.RunAsync(TimeSpan.FromSeconds(30), "export", "--session", "x");

        exitCode.ShouldBe(2);
        output.ShouldContain("--format is required");
    }
}
