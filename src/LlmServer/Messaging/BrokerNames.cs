namespace LlmServer.Messaging;

public static class BrokerNames
{
    /// <summary>Every broker entity of Bridge starts with this, so the whole topology can be found and removed.</summary>
    public const string Prefix = "bridge";

    /// <summary>The queue LlmServer replicas share as competing consumers; requesters send to <c>queue:</c> this name.</summary>
    public const string TeacherTurnsQueue = "bridge-llmserver-teacher-turns";

    /// <summary>The reviewer's queue, shared the same way: <see cref="Contracts.ReviewLearnerReply"/> requests.</summary>
    public const string ReviewsQueue = "bridge-llmserver-reviews";
}
