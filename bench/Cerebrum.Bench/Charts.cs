using ScottPlot;

namespace Cerebrum.Bench;

public static class Charts
{
    public static void LearningCurve(IReadOnlyList<WindowRow> rows, string path)
    {
        var multiplot = new Multiplot();
        multiplot.AddPlots(4);
        var panels = new (string Title, Func<WindowRow, double?> Value, bool CerebrumOnly)[]
        {
            ("Held-out test perplexity (Cerebrum)", r => r.TestPerplexity, true),
            ("On-topic relevance (new on-topic words)", r => r.Relevance, false),
            ("distinct-2 of replies", r => r.Distinct2, false),
            ("Share of verbatim copies", r => r.VerbatimShare, false),
        };

        for (var i = 0; i < panels.Length; i++)
        {
            var plot = multiplot.GetPlot(i);
            plot.Title(panels[i].Title);
            plot.XLabel("exchanges");
            foreach (var learner in rows.Select(r => r.Learner).Distinct())
            {
                if (panels[i].CerebrumOnly && learner != "cerebrum")
                {
                    continue;
                }

                var points = rows.Where(r => r.Learner == learner && panels[i].Value(r) is { } v && !double.IsNaN(v)).OrderBy(r => r.Exchanges).ToList();
                if (points.Count == 0)
                {
                    continue;
                }

                var scatter = plot.Add.Scatter(points.Select(r => (double)r.Exchanges).ToArray(), points.Select(r => panels[i].Value(r)!.Value).ToArray());
                scatter.LegendText = learner;
            }

            plot.ShowLegend();
        }

        multiplot.SavePng(path, 900, 1400);
    }

    public static void Latency(IReadOnlyList<(string Label, double P50, double P99)> rows, string path)
    {
        var plot = new Plot();
        var bars = new List<Bar>();
        for (var i = 0; i < rows.Count; i++)
        {
            bars.Add(new Bar { Position = i * 3, Value = rows[i].P50, FillColor = Colors.SteelBlue });
            bars.Add(new Bar { Position = i * 3 + 1, Value = rows[i].P99, FillColor = Colors.OrangeRed });
        }

        plot.Add.Bars(bars);
        plot.Axes.Bottom.SetTicks(rows.Select((_, i) => i * 3 + 0.5).ToArray(), rows.Select(r => r.Label).ToArray());
        plot.YLabel("ms (blue p50, red p99)");
        plot.Title("POST /api/chat latency");
        plot.SavePng(path, 700, 450);
    }
}
