using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Bridge.Testing;

/// <summary>The calls a user makes with curl (docs/contracts.md), read as loose JSON so that tests pin the wire shape
/// rather than the services' C# types. Anything but the documented status throws, with the answer and the stack's output.</summary>
public static class TrainingCalls
{
    public static async Task<Guid> StartSessionAsync(this BridgeStack stack, object body, CancellationToken cancellationToken = default)
    {
        using var response = await stack.MiddlewareClient.PostAsJsonAsync("/api/training/start", body, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"POST /api/training/start answered {(int)response.StatusCode}: {text}\n{stack.Diagnostics()}");
        }

        using var json = JsonDocument.Parse(text);
        return json.RootElement.GetProperty("session_id").GetGuid();
    }

    /// <summary>A session of <paramref name="maxExchanges"/> exchanges, <paramref name="delay"/> seconds apart.</summary>
    public static Task<Guid> StartSessionAsync(this BridgeStack stack, int maxExchanges, double delay, CancellationToken cancellationToken = default) =>
        stack.StartSessionAsync(new { max_exchanges = maxExchanges, delay }, cancellationToken);

    public static async Task StopSessionAsync(this BridgeStack stack, Guid sessionId, CancellationToken cancellationToken = default)
    {
        using var response = await stack.MiddlewareClient.PostAsync($"/api/training/stop?session_id={sessionId}", content: null, cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"stop answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }

    /// <summary>The session as <c>GET /api/training/sessions</c> lists it (running or ended).</summary>
    public static async Task<JsonElement> GetSessionAsync(this BridgeStack stack, Guid sessionId, CancellationToken cancellationToken = default)
    {
        var sessions = await stack.GetJsonAsync(stack.MiddlewareClient, "/api/training/sessions", cancellationToken);
        return sessions.GetProperty("sessions").EnumerateArray()
            .Single(s => s.GetProperty("session_id").GetGuid() == sessionId);
    }

    public static Task<JsonElement> GetStatusAsync(this BridgeStack stack, CancellationToken cancellationToken = default) =>
        stack.GetJsonAsync(stack.MiddlewareClient, "/api/training/status", cancellationToken);

    public static Task<JsonElement> GetLogAsync(this BridgeStack stack, Guid sessionId, CancellationToken cancellationToken = default) =>
        stack.GetJsonAsync(stack.MiddlewareClient, $"/api/training/log?session_id={sessionId}", cancellationToken);

    public static async Task<long> CerebrumObservationsAsync(this BridgeStack stack, CancellationToken cancellationToken = default) =>
        (await stack.GetJsonAsync(stack.CerebrumClient, "/api/status", cancellationToken)).GetProperty("observations").GetInt64();

    /// <summary>Polls the session every 100 ms until <paramref name="done"/> holds; bounded in time and in number of polls.</summary>
    public static async Task<JsonElement> WaitForSessionAsync(
        this BridgeStack stack, Guid sessionId, Func<JsonElement, bool> done, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var session = await Poll.UntilAsync(() => stack.GetSessionAsync(sessionId, cancellationToken), done, timeout,
            interval: TimeSpan.FromMilliseconds(100), cancellationToken: cancellationToken);
        return done(session)
            ? session
            : throw new TimeoutException($"Session {sessionId} did not reach the expected state within {timeout.TotalSeconds:0} s. " +
                $"Last seen: {session}\n{stack.Diagnostics()}");
    }

    /// <summary>Waits until the session is no longer running or paused, and returns its final state.</summary>
    public static Task<JsonElement> WaitForSessionEndAsync(
        this BridgeStack stack, Guid sessionId, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        stack.WaitForSessionAsync(sessionId, s => !s.IsActive(), timeout, cancellationToken);

    public static string Status(this JsonElement session) => session.GetProperty("status").GetString()!;

    public static int Exchanges(this JsonElement session) => session.GetProperty("exchanges").GetInt32();

    public static bool IsActive(this JsonElement session) => session.Status() is "running" or "paused";

    private static async Task<JsonElement> GetJsonAsync(this BridgeStack stack, HttpClient client, string path, CancellationToken cancellationToken)
    {
        using var response = await client.GetAsync(path, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET {client.BaseAddress}{path.TrimStart('/')} answered {(int)response.StatusCode}: {text}\n{stack.Diagnostics()}");
        }

        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}
