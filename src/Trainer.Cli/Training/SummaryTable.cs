using Spectre.Console;
using Trainer.Cli.Middleware;

namespace Trainer.Cli.Training;

public static class SummaryTable
{
    public static Table Build(SessionOutcome outcome)
    {
        var table = new Table().Title("[bold]Training summary[/]").AddColumn("").AddColumn("");
        table.HideHeaders();
        table.AddRow("Session", outcome.SessionId.EscapeMarkup());
        table.AddRow("Result", Describe(outcome));
        table.AddRow("Exchanges", outcome.MaxExchanges is { } max ? $"{outcome.Exchanges} / {max}" : $"{outcome.Exchanges}");
        table.AddRow("Duration", $"{outcome.Duration.TotalSeconds:0.0} s");
        table.AddRow("Learner phase", $"{Phase(outcome.Before)} -> {Phase(outcome.After)}");
        table.AddRow("Observations", Change(outcome.Before?.Observations, outcome.After?.Observations));
        table.AddRow("Vocabulary", Change(outcome.Before?.Vocabulary, outcome.After?.Vocabulary));
        if (outcome.Problem is not null)
        {
            table.AddRow("Problem", $"[red]{outcome.Problem.EscapeMarkup()}[/]");
        }

        return table;
    }

    private static string Describe(SessionOutcome outcome) => outcome.Result switch
    {
        RunResult.Completed => "[green]completed[/]",
        RunResult.Interrupted => "[yellow]stopped (Ctrl+C)[/]",
        RunResult.Stopped => $"[yellow]{(outcome.FinalStatus ?? "stopped").EscapeMarkup()}[/]",
        _ => $"[red]{(outcome.FinalStatus ?? "failed").EscapeMarkup()}[/]",
    };

    private static string Phase(CerebrumStatus? status) => status?.Phase?.EscapeMarkup() ?? "unknown";

    private static string Change(long? before, long? after) => (before, after) switch
    {
        ({ } b, { } a) => $"{b} -> {a} ({(a - b >= 0 ? "+" : "")}{a - b})",
        (null, { } a) => $"unknown -> {a}",
        ({ } b, null) => $"{b} -> unknown",
        _ => "unknown",
    };
}
