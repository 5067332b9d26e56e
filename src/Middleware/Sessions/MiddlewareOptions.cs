using System.ComponentModel.DataAnnotations;

namespace Middleware.Sessions;

/// <summary>The middleware's own settings (<c>Middleware:*</c>).</summary>
public sealed class MiddlewareOptions
{
    public const string SectionName = "Middleware";

    [Required]
    public string DatabasePath { get; set; } = "data/middleware.db";

    [Required]
    public string TrainingLogsPath { get; set; } = "training_logs";

    /// <summary>One teacher turn on a slow CPU model can take a minute or more. It bounds one HTTP attempt, and a bus
    /// request outright (its MassTransit timeout, its time-to-live in the queue and its hard deadline).</summary>
    [Range(1, 3600)]
    public double TeacherTimeoutSeconds { get; set; } = 180;

    [Range(1, 3600)]
    public double CerebrumTimeoutSeconds { get; set; } = 30;

    /// <summary>How long the broker may take to accept a published event before the session pauses and publishes it again.</summary>
    [Range(0.1, 3600)]
    public double PublishTimeoutSeconds { get; set; } = 10;

    /// <summary>First wait after a failed step; doubles on each further failure up to <see cref="MaxRetryDelaySeconds"/>.</summary>
    [Range(0.01, 3600)]
    public double RetryDelaySeconds { get; set; } = 2;

    [Range(0.01, 3600)]
    public double MaxRetryDelaySeconds { get; set; } = 60;

    /// <summary>
    /// The hard deadline of one step of the exchange loop, whatever the client does inside it: room for the HTTP
    /// client's attempt, its one retry and its back-off; a bus call has its own, shorter deadline within it.
    /// </summary>
    public SessionDeadlines Deadlines => new(
        Teacher: TimeSpan.FromSeconds(TeacherTimeoutSeconds * 2 + 10),
        Cerebrum: TimeSpan.FromSeconds(CerebrumTimeoutSeconds * 2 + 10),
        Publish: TimeSpan.FromSeconds(PublishTimeoutSeconds + 2));
}

/// <summary>Hard deadlines of the exchange loop's steps (<see cref="MiddlewareOptions.Deadlines"/>).</summary>
public sealed record SessionDeadlines(TimeSpan Teacher, TimeSpan Cerebrum, TimeSpan Publish);
