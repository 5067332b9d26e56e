using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Middleware.Events;
using Middleware.Infrastructure;
using Middleware.Sessions;

namespace Middleware.Apis;

/// <summary><c>GET /api/training/events</c>: server-sent events, one <c>event:</c>/<c>data:</c> pair per training event,
/// and a <c>heartbeat</c> event after 15 s without one (so proxies keep an idle stream open).</summary>
public static class TrainingEventsApi
{
    public const string HeartbeatEvent = "heartbeat";

    private static readonly JsonSerializerOptions EventJson = WireJson.Create();
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    public static ServerSentEventsResult<string> Stream(HttpContext context, TrainingEventHub hub, SessionStore store, CancellationToken cancellationToken) =>
        TypedResults.ServerSentEvents(EventsAsync(context.Response, hub, store, cancellationToken));

    private static async IAsyncEnumerable<SseItem<string>> EventsAsync(
        HttpResponse response, TrainingEventHub hub, SessionStore store, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Subscribed before the headers go out: a client that has them misses no event published after.
        using var subscription = hub.Subscribe();
        await response.Body.FlushAsync(cancellationToken);

        // A new subscriber first learns where every active session stands.
        foreach (var session in await store.ListActiveSessionsAsync(cancellationToken))
        {
            yield return Item(new TrainingEvent(TrainingEvent.SessionStatus, SessionView.From(session)));
        }

        while (!cancellationToken.IsCancellationRequested)
        {
            var quiet = false;
            using (var heartbeat = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                heartbeat.CancelAfter(Heartbeat);
                try
                {
                    if (!await subscription.Reader.WaitToReadAsync(heartbeat.Token))
                    {
                        yield break;
                    }
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    quiet = true;
                }
            }

            if (quiet)
            {
                yield return new SseItem<string>("{}", HeartbeatEvent);
                continue;
            }

            while (subscription.Reader.TryRead(out var trainingEvent))
            {
                yield return Item(trainingEvent);
            }
        }
    }

    private static SseItem<string> Item(TrainingEvent trainingEvent) =>
        new(JsonSerializer.Serialize(trainingEvent.Payload, trainingEvent.Payload.GetType(), EventJson), trainingEvent.Name);
}
