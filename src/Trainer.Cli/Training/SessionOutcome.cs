using Trainer.Cli.Middleware;

namespace Trainer.Cli.Training;

public enum RunResult
{
    Completed,
    Stopped,
    Interrupted,
    Failed,
}

/// <summary>Everything the summary table shows about one run.</summary>
public sealed record SessionOutcome(
    string SessionId,
    RunResult Result,
    string? FinalStatus,
    int Exchanges,
    int? MaxExchanges,
    TimeSpan Duration,
    CerebrumStatus? Before,
    CerebrumStatus? After,
    string? Problem);
