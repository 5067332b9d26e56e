using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Bridge.IntegrationTests.Infrastructure;

/// <summary>The calls a user makes with curl (docs/contracts.md), read as loose JSON so the tests pin the wire
/// shape rather than the services' C# types.</summary>
public static class TrainingCalls
{
    public static async Task<Guid> StartSessionAsync(this BridgeStack stack, object body)
    {
        using var response = await stack.MiddlewareClient.PostAsJsonAsync("/api/training/start", body);
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted, $"start answered: {text}\n{stack.Diagnostics()}");
        using var json = JsonDocument.Parse(text);
        return json.RootElement.GetProperty("session_id").GetGuid();
    }

    public static async Task StopSessionAsync(this BridgeStack stack, Guid sessionId)
    {
        using var response = await stack.MiddlewareClient.PostAsync($"/api/training/stop?session_id={sessionId}", content: null);
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, $"stop answered: {text}");
    }

    /// <summary>The session as <c>GET /api/training/sessions</c> lists it.</summary>
    public static async Task<JsonElement> GetSessionAsync(this BridgeStack stack, Guid sessionId)
    {
        var sessions = await stack.GetJsonAsync(stack.MiddlewareClient, "/api/training/sessions");
        return sessions.GetProperty("sessions").EnumerateArray()
            .Single(s => s.GetProperty("session_id").GetGuid() == sessionId);
    }

    public static async Task<JsonElement> GetStatusAsync(this BridgeStack stack) =>
        await stack.GetJsonAsync(stack.MiddlewareClient, "/api/training/status");

    public static async Task<JsonElement> GetLogAsync(this BridgeStack stack, Guid sessionId) =>
        await stack.GetJsonAsync(stack.MiddlewareClient, $"/api/training/log?session_id={sessionId}");

    public static async Task<long> CerebrumObservationsAsync(this BridgeStack stack) =>
        (await stack.GetJsonAsync(stack.CerebrumClient, "/api/status")).GetProperty("observations").GetInt64();

    /// <summary>Polls the session until <paramref name="done"/> holds; bounded in time and in number of polls.</summary>
    public static async Task<JsonElement> WaitForSessionAsync(this BridgeStack stack, Guid sessionId, Func<JsonElement, bool> done, TimeSpan timeout)
    {
        var stopwatch = Stopwatch.StartNew();
        JsonElement session = default;
        for (var poll = 0; stopwatch.Elapsed < timeout && poll < 2_000; poll++)
        {
            session = await stack.GetSessionAsync(sessionId);
            if (done(session))
            {
                return session;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Session {sessionId} did not reach the expected state within {timeout.TotalSeconds:0} s. " +
            $"Last seen: {session}\n{stack.Diagnostics()}");
    }

    public static string Status(this JsonElement session) => session.GetProperty("status").GetString()!;

    public static int Exchanges(this JsonElement session) => session.GetProperty("exchanges").GetInt32();

    public static bool IsActive(this JsonElement session) => session.Status() is "running" or "paused";

    /// <summary>The session file in the middleware's <c>training_logs/</c>, as a user would open it.</summary>
    public static JsonElement ReadSessionFile(this BridgeStack stack, Guid sessionId)
    {
        Directory.Exists(stack.TrainingLogsDirectory).ShouldBeTrue($"{stack.TrainingLogsDirectory} was never created.");
        var files = Directory.GetFiles(stack.TrainingLogsDirectory, "session_*.json");
        foreach (var file in files)
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file));
            if (document.RootElement.GetProperty("session_id").GetGuid() == sessionId)
            {
                Path.GetFileName(file).ShouldMatch(@"^session_\d{8}_\d{6}(_\d+)?\.json$");
                return document.RootElement.Clone();
            }
        }

        throw new FileNotFoundException($"No file in {stack.TrainingLogsDirectory} holds session {sessionId} (files: {string.Join(", ", files.Select(Path.GetFileName))}).");
    }

    private static async Task<JsonElement> GetJsonAsync(this BridgeStack stack, HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, $"GET {client.BaseAddress}{path.TrimStart('/')} answered: {text}\n{stack.Diagnostics()}");
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}
