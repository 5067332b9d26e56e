using System.Text.Json;
using Middleware.Events;
using Middleware.Infrastructure;
using Middleware.Sessions;

namespace Middleware.Apis;

/// <summary><c>GET /api/training/events</c>: server-sent events, one <c>event:</c>/<c>data:</c> pair per training event.</summary>
public static class TrainingEventsApi
{
    private static readonly JsonSerializerOptions EventJson = WireJson.Create();
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    public static async Task StreamAsync(HttpContext context, TrainingEventHub hub, SessionStore store, CancellationToken cancellationToken)
    {
        using var subscription = hub.Subscribe();
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";

        // A new subscriber first learns where every active session stands.
        foreach (var session in await store.ListActiveSessionsAsync(cancellationToken))
        {
            await WriteAsync(response, new TrainingEvent(TrainingEvent.SessionStatus, SessionView.From(session)), cancellationToken);
        }

        await response.Body.FlushAsync(cancellationToken);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                using var heartbeat = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                heartbeat.CancelAfter(Heartbeat);
                try
                {
                    if (!await subscription.Reader.WaitToReadAsync(heartbeat.Token))
                    {
                        return;
                    }
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    await response.WriteAsync(": keep-alive\n\n", cancellationToken);
                    await response.Body.FlushAsync(cancellationToken);
                    continue;
                }

                while (subscription.Reader.TryRead(out var trainingEvent))
                {
                    await WriteAsync(response, trainingEvent, cancellationToken);
                }

                await response.Body.FlushAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away.
        }
    }

    private static Task WriteAsync(HttpResponse response, TrainingEvent trainingEvent, CancellationToken cancellationToken)
    {
        var data = JsonSerializer.Serialize(trainingEvent.Payload, trainingEvent.Payload.GetType(), EventJson);
        return response.WriteAsync($"event: {trainingEvent.Name}\ndata: {data}\n\n", cancellationToken);
    }
}
