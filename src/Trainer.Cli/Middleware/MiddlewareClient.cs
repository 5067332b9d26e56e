using System.Net.Http.Json;
using System.Text.Json;

namespace Trainer.Cli.Middleware;

/// <summary>The middleware's control API as the trainer uses it. Every failure becomes a <see cref="MiddlewareException"/>
/// whose message says what to do, including the problem+json <c>detail</c> the middleware sent.</summary>
public sealed class MiddlewareClient(HttpClient http)
{
    public static HttpClient CreateHttpClient(Uri baseAddress, string? apiKey)
    {
        var http = new HttpClient { BaseAddress = baseAddress, Timeout = Timeout.InfiniteTimeSpan };
        if (apiKey is not null)
        {
            http.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        }

        return http;
    }

    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(15);

    public string Describe() => http.BaseAddress?.ToString() ?? "(no address)";

    public Task<CerebrumStatus> GetCerebrumStatusAsync(CancellationToken cancellationToken) =>
        SendAsync<CerebrumStatus>(HttpMethod.Get, "api/cerebrum/status", null, cancellationToken);

    public Task<StartedSession> StartAsync(StartRequest request, CancellationToken cancellationToken) =>
        SendAsync<StartedSession>(HttpMethod.Post, "api/training/start", JsonContent.Create(request, options: Wire.Json), cancellationToken);

    public Task<TrainingStatus> GetStatusAsync(CancellationToken cancellationToken) =>
        SendAsync<TrainingStatus>(HttpMethod.Get, "api/training/status", null, cancellationToken);

    public Task<SessionSummary> GetSessionAsync(string sessionId, CancellationToken cancellationToken) =>
        SendAsync<SessionSummary>(HttpMethod.Get, $"api/training/sessions/{Uri.EscapeDataString(sessionId)}", null, cancellationToken);

    public Task<JsonElement> StopAsync(string sessionId, CancellationToken cancellationToken) =>
        SendAsync<JsonElement>(HttpMethod.Post, $"api/training/stop?session_id={Uri.EscapeDataString(sessionId)}", null, cancellationToken);

    /// <summary>Opens <c>GET /api/training/events</c>; null when the middleware has no stream for us (the trainer then
    /// shows progress without the exchange text).</summary>
    public async Task<ExchangeFeed?> OpenFeedAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CallTimeout);
        var request = new HttpRequestMessage(HttpMethod.Get, "api/training/events");
        request.Headers.Accept.ParseAdd("text/event-stream");
        try
        {
            var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (response.IsSuccessStatusCode)
            {
                return new ExchangeFeed(request, response);
            }

            response.Dispose();
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            // Progress does not depend on the stream.
        }

        request.Dispose();
        return null;
    }

    /// <summary>The newest exchange in the session's log (<c>GET /api/training/log?session_id=</c>), or null.</summary>
    public async Task<ExchangeEvent?> GetLastExchangeAsync(string sessionId, CancellationToken cancellationToken)
    {
        // The log is paged oldest first: ask for its size, then for the one exchange after all but the last.
        var path = $"api/training/log?session_id={Uri.EscapeDataString(sessionId)}&limit=1";
        var log = await SendAsync<SessionLogDocument>(HttpMethod.Get, path, null, cancellationToken);
        if (log.Total is int total && total > 1)
        {
            log = await SendAsync<SessionLogDocument>(HttpMethod.Get, $"{path}&after={total - 1}", null, cancellationToken);
        }

        return log.Exchanges is [.., var last]
            ? new ExchangeEvent(sessionId, last.Sequence, last.Topic, last.Teacher, last.Learner, last.LearnerPhase, last.LearnerObservations)
            : null;
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CallTimeout);
        using var request = new HttpRequestMessage(method, path) { Content = content };
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, timeout.Token);
        }
        catch (HttpRequestException ex)
        {
            throw new MiddlewareException($"Cannot reach the middleware at {http.BaseAddress}: {ex.Message.TrimEnd('.', ' ')}. Is it running? Start everything with 'dotnet run --project src/AppHost'.", ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new MiddlewareException($"The middleware at {http.BaseAddress} did not answer {method} /{path} within {CallTimeout.TotalSeconds:0} s.", ex);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new MiddlewareException(await DescribeFailureAsync(method, path, response, timeout.Token));
            }

            try
            {
                return await response.Content.ReadFromJsonAsync<T>(Wire.Json, timeout.Token)
                    ?? throw new MiddlewareException($"The middleware answered {method} /{path} with an empty body.");
            }
            catch (JsonException ex)
            {
                throw new MiddlewareException($"The middleware answered {method} /{path} with JSON the trainer does not understand: {ex.Message}", ex);
            }
        }
    }

    /// <summary>Streams <c>GET /api/training/export?{query}</c> into <paramref name="output"/> as it arrives.</summary>
    public async Task ExportAsync(string query, Stream output, CancellationToken cancellationToken)
    {
        var path = $"api/training/export?{query}";
        HttpResponseMessage response;
        try
        {
            response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new MiddlewareException($"The middleware at {Describe()} is not reachable ({ex.Message}). Start it, or pass --middleware.", ex);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new MiddlewareException(await DescribeFailureAsync(HttpMethod.Get, path, response, cancellationToken));
            }

            await response.Content.CopyToAsync(output, cancellationToken);
            await output.FlushAsync(cancellationToken);
        }
    }

    private static async Task<string> DescribeFailureAsync(HttpMethod method, string path, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var what = $"The middleware refused {method} /{path} ({(int)response.StatusCode} {response.ReasonPhrase})";
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        ProblemDocument? problem = null;
        try
        {
            problem = body.Length > 0 ? JsonSerializer.Deserialize<ProblemDocument>(body, Wire.Json) : null;
        }
        catch (JsonException)
        {
            // Not problem+json (a proxy, another program on the port): show the start of the body instead.
        }

        if (problem is null || (problem.Title is null && problem.Detail is null))
        {
            return body.Length == 0 ? $"{what}." : $"{what}: {body[..Math.Min(body.Length, 300)]}";
        }

        var errors = problem.Errors is { Count: > 0 }
            ? " " + string.Join(" ", problem.Errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"))
            : "";
        var hint = response.StatusCode == System.Net.HttpStatusCode.Unauthorized ? " Pass the middleware's key with --api-key." : "";
        return $"{what}: {problem.Detail ?? problem.Title}{errors}{hint}";
    }
}
