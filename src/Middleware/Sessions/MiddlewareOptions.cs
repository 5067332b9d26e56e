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

    /// <summary>One teacher turn on a slow CPU model can take a minute or more.</summary>
    [Range(1, 3600)]
    public double TeacherTimeoutSeconds { get; set; } = 180;

    [Range(1, 3600)]
    public double CerebrumTimeoutSeconds { get; set; } = 30;

    /// <summary>First wait after a failed step; doubles on each further failure up to <see cref="MaxRetryDelaySeconds"/>.</summary>
    [Range(0.01, 3600)]
    public double RetryDelaySeconds { get; set; } = 2;

    [Range(0.01, 3600)]
    public double MaxRetryDelaySeconds { get; set; } = 60;
}
