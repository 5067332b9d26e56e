using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Middleware.Tests.Reviews;

public sealed class ExportTests : ReviewPeersTest
{
    /// <summary>Three exchanges: the first kept as the teacher judged it (good), the second denied with a correction,
    /// the third approved by a person.</summary>
    private async Task<(MiddlewareHost Host, Guid Id)> ReviewedSessionAsync()
    {
        var host = Start();
        var id = await host.StartSessionAsync(new { max_exchanges = 3, delay = 0, topic = "food" });
        await host.WaitForSessionAsync(id, s => s.Str("status") == "completed");
        await WaitForFeedbackAsync(host, id, 3);
        (await host.Client.PostAsync($"/api/training/exchanges/{id}:2/review",
            new StringContent("""{"approved": false, "correction": "I like rice."}""", Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        (await host.Client.PostAsync($"/api/training/exchanges/{id}:3/review",
            new StringContent("""{"approved": true}""", Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        return (host, id);
    }

    private static async Task<List<JsonElement>> JsonlAsync(HttpResponseMessage response)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var text = await response.Content.ReadAsStringAsync();
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.Clone())];
    }

    [Fact]
    public async Task Sft_export_is_chat_jsonl_of_approved_replies_and_corrections()
    {
        var (host, id) = await ReviewedSessionAsync();
        await using var _ = host;

        var lines = await JsonlAsync(await host.Client.GetAsync($"/api/training/export?format=sft&session_id={id}"));

        lines.Count.ShouldBe(3);
        foreach (var line in lines)
        {
            line.EnumerateObject().Select(p => p.Name).ShouldBe(["messages"]);
            var messages = line.GetProperty("messages").EnumerateArray().ToList();
            messages.Select(m => m.GetProperty("role").GetString()).ShouldBe(["system", "user", "assistant"]);
            messages.ShouldAllBe(m => !string.IsNullOrWhiteSpace(m.GetProperty("content").GetString()));
        }

        lines[1].GetProperty("messages")[2].GetProperty("content").GetString().ShouldBe("I like rice.");
        lines[0].GetProperty("messages")[2].GetProperty("content").GetString().ShouldStartWith("I heard");

        // A threshold above the teacher's 0.7 keeps only the person's approval (score 1) and the correction.
        (await JsonlAsync(await host.Client.GetAsync($"/api/training/export?format=sft&min_score=0.9"))).Count.ShouldBe(2);
    }

    [Fact]
    public async Task Dpo_export_pairs_each_denied_reply_with_its_correction()
    {
        var (host, _) = await ReviewedSessionAsync();
        await using var __ = host;

        var line = (await JsonlAsync(await host.Client.GetAsync("/api/training/export?format=dpo"))).ShouldHaveSingleItem();

        line.EnumerateObject().Select(p => p.Name).ShouldBe(["input", "preferred_output", "non_preferred_output"]);
        line.GetProperty("input").GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("role").GetString()).ShouldBe(["system", "user"]);
        var preferred = line.GetProperty("preferred_output").EnumerateArray().ShouldHaveSingleItem();
        preferred.GetProperty("role").GetString().ShouldBe("assistant");
        preferred.GetProperty("content").GetString().ShouldBe("I like rice.");
        line.GetProperty("non_preferred_output")[0].GetProperty("content").GetString()!.ShouldStartWith("I heard");
    }

    [Fact]
    public async Task Modelfile_export_has_from_system_and_message_lines_of_the_best_exchanges()
    {
        var (host, _) = await ReviewedSessionAsync();
        await using var __ = host;

        using var response = await host.Client.GetAsync("/api/training/export?format=modelfile&from=llama3.2:1b");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => !l.StartsWith('#')).ToList();

        lines[0].ShouldBe("FROM llama3.2:1b");
        lines.ShouldContain(l => l.StartsWith("SYSTEM \"\"\"") && l.EndsWith("\"\"\""));
        var messages = lines.Where(l => l.StartsWith("MESSAGE ")).ToList();
        messages.Count.ShouldBe(4);
        messages.Where((_, i) => i % 2 == 0).ShouldAllBe(l => l.StartsWith("MESSAGE user Teacher turn"));
        messages.Where((_, i) => i % 2 == 1).ShouldAllBe(l => l.StartsWith("MESSAGE assistant I heard"));
        lines.ShouldAllBe(l => l.StartsWith("FROM ") || l.StartsWith("SYSTEM ") || l.StartsWith("MESSAGE ") || l.StartsWith("PARAMETER "));
    }

    [Theory]
    [InlineData("/api/training/export", "format")]
    [InlineData("/api/training/export?format=csv", "format")]
    [InlineData("/api/training/export?format=sft&min_score=2", "min_score")]
    [InlineData("/api/training/export?format=sft&min_score=abc", "min_score")]
    [InlineData("/api/training/export?format=modelfile&limit=0", "limit")]
    [InlineData("/api/training/export?format=modelfile&from=a%20b", "from")]
    [InlineData("/api/training/export?format=sft&session_id=42", "session_id")]
    public async Task Bad_export_requests_get_validation_problems(string path, string field)
    {
        await using var host = Start();

        using var response = await host.Client.GetAsync(path);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue();
    }

    [Fact]
    public async Task Export_of_an_unknown_session_is_not_found()
    {
        await using var host = Start();

        using var response = await host.Client.GetAsync("/api/training/export?format=sft&session_id=00000000-0000-0000-0000-000000000001");

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
    }
}
