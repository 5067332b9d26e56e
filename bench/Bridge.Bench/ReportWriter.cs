using System.Globalization;
using System.Text;
using Spectre.Console;

namespace Bridge.Bench;

/// <summary>The measured tables, on the console (Spectre.Console) and as Markdown for docs/messaging.md.</summary>
public static class ReportWriter
{
    public static void Write(IAnsiConsole console, BenchReport report)
    {
        console.MarkupLine($"[grey]{Markup.Escape(report.Environment)}[/]");

        var overhead = new Table().Title("Per exchange, delay 0 (mean)")
            .AddColumn("Teacher path").AddColumn(new TableColumn("Exchanges").RightAligned())
            .AddColumn(new TableColumn("Direct ms").RightAligned()).AddColumn(new TableColumn("Middleware ms").RightAligned())
            .AddColumn(new TableColumn("Overhead ms").RightAligned());
        foreach (var row in report.Overhead)
        {
            overhead.AddRow(Markup.Escape(row.Mode), row.Exchanges.ToString(CultureInfo.InvariantCulture),
                Ms(row.DirectMs), Ms(row.MiddlewareMs), Ms(row.OverheadMs));
        }

        console.Write(overhead);

        var throughput = new Table().Title("Concurrent sessions, delay 0")
            .AddColumn("Teacher path").AddColumn(new TableColumn("Sessions").RightAligned())
            .AddColumn(new TableColumn("Exchanges").RightAligned()).AddColumn(new TableColumn("Seconds").RightAligned())
            .AddColumn(new TableColumn("Exchanges/s").RightAligned());
        foreach (var row in report.Throughput)
        {
            throughput.AddRow(Markup.Escape(row.Mode), row.Sessions.ToString(CultureInfo.InvariantCulture),
                row.CompletedExchanges.ToString(CultureInfo.InvariantCulture),
                row.Elapsed.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture),
                row.ExchangesPerSecond.ToString("0.0", CultureInfo.InvariantCulture));
        }

        console.Write(throughput);
        foreach (var note in report.Notes)
        {
            console.MarkupLine($"[yellow]{Markup.Escape(note)}[/]");
        }
    }

    public static string ToMarkdown(BenchReport report)
    {
        var markdown = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"Measured on {report.Environment}.")
            .AppendLine()
            .AppendLine("| Teacher path | Exchanges | Direct ms/exchange | Middleware ms/exchange | Overhead ms/exchange |")
            .AppendLine("|---|---:|---:|---:|---:|");
        foreach (var row in report.Overhead)
        {
            markdown.AppendLine(CultureInfo.InvariantCulture,
                $"| {row.Mode} | {row.Exchanges} | {Ms(row.DirectMs)} | {Ms(row.MiddlewareMs)} | {Ms(row.OverheadMs)} |");
        }

        markdown.AppendLine()
            .AppendLine("| Teacher path | Concurrent sessions | Exchanges | Seconds | Exchanges/s |")
            .AppendLine("|---|---:|---:|---:|---:|");
        foreach (var row in report.Throughput)
        {
            markdown.AppendLine(CultureInfo.InvariantCulture,
                $"| {row.Mode} | {row.Sessions} | {row.CompletedExchanges} | {row.Elapsed.TotalSeconds:0.00} | {row.ExchangesPerSecond:0.0} |");
        }

        foreach (var note in report.Notes)
        {
            markdown.AppendLine().AppendLine(note);
        }

        return markdown.ToString();
    }

    private static string Ms(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);
}
