using System.Globalization;
using System.Text;
using Cerebrum.Api.Learning;
using Spectre.Console;

namespace Cerebrum.Bench;

public sealed record ExchangeRecord(string Learner, int Exchange, string Topic, string Message, string Reply, bool Verbatim);

public sealed record WindowRow(
    string Learner, int Exchanges, string Phase, double? TestPerplexity, double? ServicePerplexity, double Relevance, double Overlap,
    double Distinct1, double Distinct2, double VerbatimShare, double ReplyWords, double EarlierTurnCopies, string Strategies);

/// <summary>
/// Teaches a fresh learner N exchanges from the embedded teacher (LlmServer as its own process, delay 0), and the
/// echo and plain-retrieval baselines the same way, then writes per-50-exchange metrics as CSV and PNG.
/// </summary>
public sealed class LearningCurve(TeacherClient teacher, int exchanges, int order, string outputDirectory)
{
    public const int Window = 50;
    private const int TopicSwitchInterval = 10;
    private const int SessionLength = 100;
    private const int HistoryTurns = 20;
    private static readonly string[] Topics = ["weather", "food", "animals", "family", "work", "music", "travel", "city", "hobbies", "greetings"];

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var testSet = await CollectTestSetAsync(200, cancellationToken);
        AnsiConsole.MarkupLine($"Held-out test set: [bold]{testSet.Count}[/] teacher messages from a separate conversation (never taught).");

        var records = new List<ExchangeRecord>();
        var checkpoints = new Dictionary<(string, int), (string Phase, double? Test, double? Service, double EarlierTurnCopies, string Strategies)>();
        await using (var cerebrum = new CerebrumLearner(order))
        {
            records.AddRange(await TeachAsync(cerebrum, async n =>
            {
                var status = await cerebrum.Learner.StatusAsync(cancellationToken);
                var perplexity = (await cerebrum.Learner.EvaluateAsync(testSet.Select(t => t.Message).ToList(), cancellationToken)).Perplexity;
                var strategies = string.Join(' ', cerebrum.Strategies.OrderByDescending(s => s.Value).Select(s => $"{s.Key}:{s.Value}"));
                cerebrum.Strategies.Clear();
                checkpoints[("cerebrum", n)] = (status.Phase.ToWire(), perplexity, status.Metrics.HeldOutPerplexity, status.Metrics.EarlierTurnCopyShare, strategies);
            }, cancellationToken));
        }

        await using (var echo = new EchoLearner())
        {
            records.AddRange(await TeachAsync(echo, _ => Task.CompletedTask, cancellationToken));
        }

        await using (var retrieval = new RetrievalLearner())
        {
            records.AddRange(await TeachAsync(retrieval, _ => Task.CompletedTask, cancellationToken));
        }

        var lexicon = new TopicLexicon(records.Select(r => (r.Topic, r.Message)).Concat(testSet));
        var rows = new List<WindowRow>();
        foreach (var group in records.GroupBy(r => (r.Learner, Window: (r.Exchange - 1) / Window)))
        {
            var window = group.ToList();
            var end = window.Max(r => r.Exchange);
            checkpoints.TryGetValue((group.Key.Learner, end), out var checkpoint);
            var words = window.Select(r => (IReadOnlyList<string>)Evaluation.ReplyWords(r.Reply)).ToList();
            rows.Add(new WindowRow(
                group.Key.Learner, end, checkpoint.Phase ?? "-", checkpoint.Test, checkpoint.Service,
                window.Average(r => lexicon.Relevance(r.Reply, r.Message, r.Topic)),
                window.Average(r => Evaluation.Overlap(r.Reply, r.Message)),
                ReplyMetrics.DistinctN(words, 1), ReplyMetrics.DistinctN(words, 2),
                window.Count(r => r.Verbatim) / (double)window.Count,
                words.Average(w => w.Count),
                checkpoint.EarlierTurnCopies, checkpoint.Strategies ?? string.Empty));
        }

        Directory.CreateDirectory(outputDirectory);
        var csv = Path.Combine(outputDirectory, "learning-curve.csv");
        await File.WriteAllTextAsync(csv, ToCsv(rows), cancellationToken);
        var png = Path.Combine(outputDirectory, "learning-curve.png");
        Charts.LearningCurve(rows, png);
        await File.WriteAllLinesAsync(Path.Combine(outputDirectory, "learning-curve-samples.txt"), Samples(records), cancellationToken);
        Render(rows, lexicon.Size);
        AnsiConsole.MarkupLine($"Wrote [bold]{csv}[/] and [bold]{png}[/].");
        return Verdict(rows) ? 0 : 1;
    }

    private async Task<List<ExchangeRecord>> TeachAsync(IBenchLearner learner, Func<int, Task> checkpoint, CancellationToken cancellationToken)
    {
        var records = new List<ExchangeRecord>();
        var observed = new ObservedText();
        var history = new List<TeacherTurn>();
        var learnerLine = "Hello!";
        var started = System.Diagnostics.Stopwatch.StartNew();
        for (var n = 1; n <= exchanges; n++)
        {
            var topic = Topics[(n - 1) / TopicSwitchInterval % Topics.Length];
            if ((n - 1) % TopicSwitchInterval == 0)
            {
                history.Clear();
            }

            var message = await teacher.AskAsync(learnerLine, history.TakeLast(HistoryTurns).ToList(), topic, cancellationToken);
            observed.Observe(message);
            var exchangeId = $"bench-{learner.Name}-{(n - 1) / SessionLength}:{n}";
            var reply = await learner.ReplyAsync(message, exchangeId, cancellationToken);
            records.Add(new ExchangeRecord(learner.Name, n, topic, message, reply, observed.IsVerbatim(reply)));

            history.Add(new TeacherTurn("user", learnerLine));
            history.Add(new TeacherTurn("assistant", message));
            learnerLine = reply;
            if (n % Window == 0)
            {
                await checkpoint(n);
            }
        }

        AnsiConsole.MarkupLine($"[grey]{learner.Name}: {exchanges} exchanges in {started.Elapsed.TotalSeconds:F1} s[/]");
        return records;
    }

    /// <summary>Teacher messages from a conversation no learner takes part in (a fixed learner line, topics in another order).</summary>
    private async Task<List<(string Topic, string Message)>> CollectTestSetAsync(int count, CancellationToken cancellationToken)
    {
        var lines = new[] { "I like it.", "Yes, I do.", "Tell me more please.", "Why is that?", "I am not sure." };
        var set = new List<(string, string)>();
        var history = new List<TeacherTurn>();
        for (var n = 0; n < count; n++)
        {
            var topic = Topics[(Topics.Length - 1 - n / 7 % Topics.Length)];
            if (n % 7 == 0)
            {
                history.Clear();
            }

            var line = lines[n % lines.Length];
            var message = await teacher.AskAsync(line, history.ToList(), topic, cancellationToken);
            set.Add((topic, message));
            history.Add(new TeacherTurn("user", line));
            history.Add(new TeacherTurn("assistant", message));
        }

        return set;
    }

    private static string ToCsv(List<WindowRow> rows)
    {
        var csv = new StringBuilder("learner,exchanges,phase,test_perplexity,service_heldout_perplexity,relevance,overlap,distinct_1,distinct_2,verbatim_share,reply_words,earlier_turn_copies,strategies\n");
        foreach (var r in rows)
        {
            csv.AppendLine(string.Join(',', r.Learner, r.Exchanges, r.Phase, F(r.TestPerplexity), F(r.ServicePerplexity), F(r.Relevance),
                F(r.Overlap), F(r.Distinct1), F(r.Distinct2), F(r.VerbatimShare), F(r.ReplyWords), F(r.EarlierTurnCopies), r.Strategies));
        }

        return csv.ToString();
    }

    private static string F(double? value) => value is { } v && !double.IsNaN(v) ? v.ToString("0.####", CultureInfo.InvariantCulture) : string.Empty;

    private static IEnumerable<string> Samples(List<ExchangeRecord> records) =>
        records.Where(r => r.Exchange % 100 is 0 or 45 || r.Exchange <= 3)
            .Select(r => $"[{r.Learner} #{r.Exchange} {r.Topic}]\n  teacher: {r.Message}\n  learner: {r.Reply}{(r.Verbatim ? "  (verbatim)" : string.Empty)}");

    private static void Render(List<WindowRow> rows, int lexiconSize)
    {
        var table = new Table().Title($"Learning curve (windows of {Window}; topic lexicon {lexiconSize} words)");
        foreach (var column in new[] { "learner", "exch.", "phase", "test ppl", "svc ppl", "relevance", "overlap", "dist-1", "dist-2", "verbatim", "words" })
        {
            table.AddColumn(column);
        }

        foreach (var r in rows.OrderBy(r => r.Learner != "cerebrum").ThenBy(r => r.Learner).ThenBy(r => r.Exchanges))
        {
            table.AddRow(r.Learner, r.Exchanges.ToString(CultureInfo.InvariantCulture), r.Phase, F(r.TestPerplexity), F(r.ServicePerplexity),
                F(r.Relevance), F(r.Overlap), F(r.Distinct1), F(r.Distinct2), F(r.VerbatimShare), F(r.ReplyWords));
        }

        AnsiConsole.Write(table);
    }

    /// <summary>The issue's bar: perplexity falls across the phases, and at the end (the mean of the last four windows,
    /// i.e. the last 200 exchanges, since one window of 50 is noisy) Cerebrum beats both baselines on relevance and
    /// distinct-2 with at most half of its replies verbatim copies.</summary>
    private static bool Verdict(List<WindowRow> rows)
    {
        const double maxVerbatim = 0.5;
        var cerebrum = rows.Where(r => r.Learner == "cerebrum").OrderBy(r => r.Exchanges).ToList();
        var final = rows.GroupBy(r => r.Learner).ToDictionary(g => g.Key, g =>
        {
            var tail = g.OrderBy(r => r.Exchanges).TakeLast(4).ToList();
            return (Relevance: tail.Average(r => r.Relevance), Distinct2: tail.Average(r => r.Distinct2), VerbatimShare: tail.Average(r => r.VerbatimShare));
        });
        foreach (var (learner, summary) in final)
        {
            AnsiConsole.MarkupLine($"last 200 exchanges, {learner}: relevance {summary.Relevance:F3}, distinct-2 {summary.Distinct2:F3}, verbatim {summary.VerbatimShare:P0}");
        }

        var byPhase = cerebrum.GroupBy(r => r.Phase).Select(g => g.Last().TestPerplexity ?? double.NaN).ToList();
        var checks = new List<(string, bool)>
        {
            ("test perplexity falls across the phases (last checkpoint of each)", byPhase.Zip(byPhase.Skip(1)).All(p => p.Second < p.First)),
            ("relevance beats echo", final["cerebrum"].Relevance > final["echo"].Relevance),
            ("relevance beats retrieval", final["cerebrum"].Relevance > final["retrieval"].Relevance),
            ("distinct-2 beats echo", final["cerebrum"].Distinct2 > final["echo"].Distinct2),
            ("distinct-2 beats retrieval", final["cerebrum"].Distinct2 > final["retrieval"].Distinct2),
            ($"verbatim share ≤ {maxVerbatim:P0}", final["cerebrum"].VerbatimShare <= maxVerbatim),
        };

        foreach (var (name, passed) in checks)
        {
            AnsiConsole.MarkupLine($"{(passed ? "[green]PASS[/]" : "[red]FAIL[/]")} {Markup.Escape(name)}");
        }

        return checks.All(c => c.Item2);
    }
}
