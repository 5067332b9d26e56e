using System.ComponentModel.DataAnnotations;

namespace LlmServer.Messaging;

/// <summary><c>Messaging:*</c>: how this replica takes teacher turns from the shared queue.</summary>
public sealed class TeacherMessagingOptions
{
    public const string SectionName = "Messaging";

    /// <summary>Turns one replica works on at once; more replicas add more (competing consumers on one queue).</summary>
    [Range(1, 256)]
    public int ConcurrentTurns { get; set; } = 4;
}
