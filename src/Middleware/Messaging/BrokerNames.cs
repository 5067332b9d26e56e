namespace Middleware.Messaging;

/// <summary>Queue names shared with LlmServer (its consumer queue) and owned by the middleware.</summary>
public static class BrokerNames
{
    /// <summary>LlmServer's competing consumers read teacher-turn requests here.</summary>
    public const string TeacherTurnsQueue = "bridge-llmserver-teacher-turns";

    /// <summary>LlmServer's reviewers read review requests here.</summary>
    public const string ReviewsQueue = "bridge-llmserver-reviews";

    /// <summary>The middleware's own consumer of training events, feeding the live event hub.</summary>
    public const string LiveStatusQueue = "bridge-middleware-live-status";

    public const string BusEndpointPrefix = "bridge-middleware-bus-";
}
