using System.Diagnostics;

namespace Middleware.Sessions;

/// <summary>
/// One exchange is one trace: its activity is a root, so the teacher request (HTTP or MassTransit), the learner call,
/// the review and the event all hang under it instead of under the request that started the session.
/// </summary>
public static class ExchangeTelemetry
{
    /// <summary>Matched by ServiceDefaults' <c>Bridge.*</c> source, like the meters.</summary>
    public const string SourceName = "Bridge.Middleware";

    private static readonly ActivitySource Source = new(SourceName);

    public static Activity? StartExchange(Guid sessionId, int sequence)
    {
        // Without this the session's loop inherits the trace of POST /api/training/start for its whole life.
        Activity.Current = null;
        var activity = Source.StartActivity("exchange", ActivityKind.Internal, parentContext: default);
        activity?.SetTag("bridge.session_id", sessionId.ToString());
        activity?.SetTag("bridge.exchange.sequence", sequence);
        return activity;
    }
}
