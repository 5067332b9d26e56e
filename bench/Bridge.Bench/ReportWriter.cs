using System.Globalization;
using System.Text;
using Spectre.Console;

namespace Bridge.Bench;

/// <summary>The measured tables, on the console (Spectre.Console) and as Markdown for docs/messaging.md. Both come
/// from the same rows, so what the docs show is what the console printed.</summary>
public static class ReportWriter
{
    private static readonly string[] OverheadColumns =
    [
        "Teacher path", "Exchanges", "Direct p50", "Bridge p50", "Overhead p50", "Direct p99", "Bridge p99", "Overhead p99",
        "Overhead mean", "Transport floor p50", "Overhead p50 / floor",
    ];

    private static readonly string[] ThroughputColumns =
        ["Teacher path", "Sessions", "Exchanges", "Direct exchanges/s", "Bridge exchanges/s", "Bridge / direct"];

    private static readonly string[] LongColumns =
        ["Exchanges", "Exchanges/s", "Storage bytes/exchange", "Written bytes/exchange (wchar)", "RSS MB"];

    public static void Write(IAnsiConsole console, BenchReport report)
    {
        console.MarkupLine($"[grey]{Markup.Escape(report.Environment)}[/]");
        foreach (var (title, columns, rows) in Tables(report))
        {
            var table = new Table().Title(title);
            for (var i = 0; i < columns.Length; i++)
            {
                table.AddColumn(i == 0 ? new TableColumn(columns[i]) : new TableColumn(columns[i]).RightAligned());
            }

            foreach (var row in rows)
            {
                table.AddRow(row.Select(Markup.Escape).ToArray());
            }

            console.Write(table);
        }

        foreach (var note in Notes(report))
        {
            console.MarkupLine($"[yellow]{Markup.Escape(note)}[/]");
        }
    }

    public static string ToMarkdown(BenchReport report)
    {
        var markdown = new StringBuilder().AppendLine(CultureInfo.InvariantCulture, $"Measured on {report.Environment}.");
        foreach (var (title, columns, rows) in Tables(report))
        {
            markdown.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"{title}:").AppendLine()
                .AppendLine($"| {string.Join(" | ", columns)} |")
                .AppendLine($"|---|{string.Concat(Enumerable.Repeat("---:|", columns.Length - 1))}");
            foreach (var row in rows)
            {
                markdown.AppendLine($"| {string.Join(" | ", row)} |");
            }
        }

        foreach (var note in Notes(report))
        {
            markdown.AppendLine().AppendLine(note);
        }

        return markdown.ToString();
    }

    private static IEnumerable<(string Title, string[] Columns, List<string[]> Rows)> Tables(BenchReport report)
    {
        if (report.Overhead.Count > 0)
        {
            yield return ("Per exchange, delay 0, milliseconds", OverheadColumns, report.Overhead.Select(r => new[]
            {
                r.Mode, Int(r.Middleware.Count), Ms(r.Direct.P50), Ms(r.Middleware.P50), Ms(r.OverheadP50), Ms(r.Direct.P99), Ms(r.Middleware.P99),
                Ms(r.OverheadP99), Ms(r.OverheadMean), $"{Ms(r.Floor.P50)} {r.FloorWhat}", $"{r.OverheadP50 / r.Floor.P50:0.0}×",
            }).ToList());
        }

        if (report.Throughput.Count > 0)
        {
            yield return ("Concurrent sessions vs as many concurrent direct loops, delay 0", ThroughputColumns, report.Throughput.Select(r => new[]
            {
                r.Mode, Int(r.Sessions), Int(r.Exchanges), Rate(r.DirectPerSecond), Rate(r.MiddlewarePerSecond), $"{r.Ratio * 100:0}%",
            }).ToList());
        }

        if (report.LongSession is { } longSession)
        {
            yield return ($"One long session, delay 0, {longSession.Mode}, per thousand exchanges", LongColumns, longSession.Rows.Select(r => new[]
            {
                Int(r.Exchanges), Rate(r.ExchangesPerSecond), r.DiskBytesPerExchange.ToString("0", CultureInfo.InvariantCulture),
                r.WrittenBytesPerExchange.ToString("0", CultureInfo.InvariantCulture), r.RssMegabytes.ToString("0.0", CultureInfo.InvariantCulture),
            }).ToList());
        }
    }

    private static IEnumerable<string> Notes(BenchReport report)
    {
        if (report.LongSession is { } l)
        {
            yield return string.Create(CultureInfo.InvariantCulture,
                $"The same learner called directly by the benchmark ({l.DirectExchanges} exchanges each, teacher then learner): {l.DirectBeforePerSecond:0.0} exchanges/s before the session, {l.DirectAfterPerSecond:0.0} after it. Cerebrum alone, sent the session's last {l.DirectExchanges} teacher turns again: {l.CerebrumAlonePerSecond:0.0}/s.");
        }

        foreach (var note in report.Notes)
        {
            yield return note;
        }
    }

    private static string Ms(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Rate(double value) => value.ToString("0.0", CultureInfo.InvariantCulture);

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);
}
