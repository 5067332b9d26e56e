using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Bridge.IntegrationTests.Infrastructure;

namespace Bridge.IntegrationTests.Configuration;

/// <summary>The seed's <c>config.json</c> keeps working: a middleware given only that file (no Aspire variables) finds
/// Cerebrum and LlmServer through it and takes its training defaults from it, while environment variables still win.</summary>
[Collection(SharedStackCollection.Name)]
public sealed class SeedConfigJsonTests(BridgeStackFixture fixture)
{
    private static readonly TimeSpan SessionTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_middleware_configured_only_by_the_seeds_config_json_reaches_both_services_and_uses_its_defaults()
    {
        using var directory = new TempDirectory("bridge-seed-config");
        var configPath = Path.Combine(directory.Path, "config.json");
        await File.WriteAllTextAsync(configPath, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["cerebrum_url"] = fixture.Stack.Cerebrum.Url.ToString().TrimEnd('/'),
            ["llm_server_port"] = fixture.Stack.LlmServer.Port,
            ["middleware_port"] = 8002,
            ["ollama_url"] = "http://localhost:11434",
            ["ollama_model"] = "gemma3:1b",
            ["conversation_delay"] = 0.05,
            ["topic_switch_interval"] = 3,
        }));

        var launch = ServiceLaunch.Create(ServiceCatalog.Middleware, new Dictionary<string, string?>
        {
            ["BRIDGE_CONFIG"] = configPath,
            // The environment outranks config.json, as it does for the AppHost's and Docker's variables.
            ["Training__Delay"] = "0.07",
        }, workingDirectory: directory.Sub("middleware"));
        await using var middleware = await ServiceProcess.StartAsync(launch, TimeSpan.FromSeconds(60));
        using var client = new HttpClient { BaseAddress = middleware.Url, Timeout = TimeSpan.FromSeconds(30) };

        using (var proxied = await client.GetAsync("/api/cerebrum/status"))
        {
            proxied.StatusCode.ShouldBe(HttpStatusCode.OK, middleware.Tail());
        }

        using (var teacher = await client.PostAsJsonAsync("/api/llm/chat", new { message = "Test" }))
        {
            teacher.StatusCode.ShouldBe(HttpStatusCode.OK, middleware.Tail());
            (await teacher.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("provider").GetString().ShouldBe("embedded");
        }

        using var started = await client.PostAsync("/api/training/start", content: null);
        var body = await started.Content.ReadFromJsonAsync<JsonElement>();
        started.StatusCode.ShouldBe(HttpStatusCode.Accepted, body.ToString());
        body.GetProperty("topic_switch_interval").GetInt32().ShouldBe(3, "topic_switch_interval comes from config.json");
        body.GetProperty("delay").GetDouble().ShouldBe(0.07, "the environment wins over config.json's conversation_delay");

        // The session really runs against the Cerebrum named by cerebrum_url; then stop it and let it settle.
        var sessionId = body.GetProperty("session_id").GetGuid();
        await WaitAsync(client, sessionId, s => s.GetProperty("exchanges").GetInt32() >= 2);
        (await client.PostAsync($"/api/training/stop?session_id={sessionId}", content: null)).EnsureSuccessStatusCode();
        var ended = await WaitAsync(client, sessionId, s => s.GetProperty("status").GetString() is not ("running" or "paused"));
        ended.GetProperty("status").GetString().ShouldBe("stopped", middleware.Tail());
    }

    private static async Task<JsonElement> WaitAsync(HttpClient client, Guid sessionId, Func<JsonElement, bool> done)
    {
        var session = await Poll.UntilAsync(() => client.GetFromJsonAsync<JsonElement>($"/api/training/sessions/{sessionId}"), done,
            SessionTimeout, maxReads: 600, interval: TimeSpan.FromMilliseconds(100));
        return done(session) ? session : throw new TimeoutException($"Session {sessionId} did not reach the expected state: {session}");
    }
}
