using System.Diagnostics;
using System.Globalization;
using System.Text;
using Spectre.Console;

namespace Cerebrum.Bench;

/// <summary>One probe: the message (a real turn), the turn before it, the learner's reply and the real next turn.</summary>
public sealed record DialogueProbe(string Message, string Previous, string Reply, string Next);

public sealed record DialogueRow(
    string Learner, double F1, double MessageCopies, double PreviousCopies, double Distinct2, double TopReplyShare, int Probes, double Seconds);

/// <summary>
/// The real-dialogue benchmark. Teaches the first <c>teach</c> dialogues turn by turn (keys
/// <c>&lt;conversation&gt;:&lt;n&gt;</c>, as the middleware sends), then sends the other dialogues turn by turn and scores
/// the reply to every turn from the second on by ParlAI's unigram F1 against the real next turn. Baselines answer the
/// same probes. Variants: without conversation keys, and with the real next turn fed back as a correction after each
/// taught turn. Also the perplexity of a fixed held-out set (the probe dialogues' turns) as teaching goes on.
/// </summary>
public sealed class DialogueBench(DialogueCorpus corpus, int teachCount, int probeCount, int order, string[] variants, string? outputDirectory)
{
    public static readonly int[] Checkpoints = [100, 1000, 5000];

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var taught = corpus.Dialogues.Take(teachCount).ToList();
        var probed = corpus.Dialogues.Skip(teachCount).Take(probeCount).ToList();
        var heldOut = probed.SelectMany(d => d).ToList();
        AnsiConsole.MarkupLine($"Teaching [bold]{taught.Count}[/] dialogues ({taught.Sum(d => d.Count)} turns), probing [bold]{probed.Count}[/] ({probed.Sum(d => Math.Max(0, d.Count - 2))} probes).");

        var rows = new List<DialogueRow>();
        var curve = new List<(int Observations, Cerebrum.Api.Learning.TextEvaluation Evaluation)>();
        foreach (var (name, baseline) in new (string, Func<string, string>)[]
                 {
                     ("echo the message", DialogueBaselines.Echo()),
                     ("random taught turn", DialogueBaselines.RandomTurn(taught, 42)),
                     ("TF-IDF retrieval", DialogueBaselines.TfIdf(taught)),
                 })
        {
            var started = Stopwatch.GetTimestamp();
            var probes = new List<DialogueProbe>();
            foreach (var dialogue in probed)
            {
                for (var i = 1; i + 1 < dialogue.Count; i++)
                {
                    probes.Add(new DialogueProbe(dialogue[i], dialogue[i - 1], baseline(dialogue[i]), dialogue[i + 1]));
                }
            }

            rows.Add(Row(name, probes, Stopwatch.GetElapsedTime(started).TotalSeconds));
        }

        foreach (var variant in variants)
        {
            var started = Stopwatch.GetTimestamp();
            await using var learner = new CerebrumLearner(order);
            var keys = variant != "no-keys";
            var corrections = variant == "corrections";
            var observations = 0;
            var strategyCounts = new Dictionary<string, int>();
            for (var d = 0; d < taught.Count; d++)
            {
                var dialogue = taught[d];
                for (var i = 0; i < dialogue.Count; i++)
                {
                    var key = keys ? $"teach-{d}:{i + 1}" : null;
                    var outcome = await learner.Learner.ExchangeAsync(dialogue[i], key, cancellationToken);
                    observations++;
                    if (corrections && i + 1 < dialogue.Count)
                    {
                        await learner.Learner.FeedbackAsync(outcome.ExchangeId, null, dialogue[i + 1], cancellationToken);
                    }

                    if (variant == variants[0] && Checkpoints.Contains(observations))
                    {
                        curve.Add((observations, await learner.Learner.EvaluateAsync(heldOut, cancellationToken)));
                    }
                }
            }

            var probes = new List<DialogueProbe>();
            for (var d = 0; d < probed.Count; d++)
            {
                var dialogue = probed[d];
                for (var i = 0; i + 1 < dialogue.Count; i++)
                {
                    var key = keys ? $"probe-{d}:{i + 1}" : null;
                    var outcome = await learner.Learner.ExchangeAsync(dialogue[i], key, cancellationToken);
                    if (i >= 1)
                    {
                        strategyCounts[outcome.Strategy] = strategyCounts.GetValueOrDefault(outcome.Strategy) + 1;
                        probes.Add(new DialogueProbe(dialogue[i], dialogue[i - 1], outcome.Response, dialogue[i + 1]));
                    }
                }
            }

            var label = variant switch
            {
                "keys" => "cerebrum (conversation keys)",
                "no-keys" => "cerebrum (no keys)",
                _ => "cerebrum (keys + corrections)",
            };
            rows.Add(Row(label, probes, Stopwatch.GetElapsedTime(started).TotalSeconds));
            var strategies = string.Join(' ', strategyCounts.OrderByDescending(s => s.Value).Select(s => $"{s.Key}:{s.Value}"));
            AnsiConsole.MarkupLine($"[grey]{label}: {Markup.Escape(strategies)}[/]");
        }

        Render(rows, curve);
        if (outputDirectory is not null)
        {
            await WriteAsync(rows, curve, cancellationToken);
        }

        var best = rows.Take(3).Max(r => r.F1);
        var cerebrumRows = rows.Skip(3).ToList();
        var main = cerebrumRows.FirstOrDefault();
        if (main is null)
        {
            return 0;
        }

        var checks = new List<(string What, bool Ok)>
        {
            ($"F1 {main.F1:F4} ≥ 1.25 × best baseline {best:F4}", main.F1 >= 1.25 * best),
            ("under 2 % near-copies of the message and of the previous turn", cerebrumRows.All(r => r.MessageCopies < 0.02 && r.PreviousCopies < 0.02)),
            ("distinct-2 above 0.6", cerebrumRows.All(r => r.Distinct2 > 0.6)),
            ("no reply to more than 2 % of probes", cerebrumRows.All(r => r.TopReplyShare <= 0.02)),
        };
        // The variants' own targets, when they ran: no collapse without keys (still above every baseline), and the
        // corrections help.
        if (cerebrumRows.FirstOrDefault(r => r.Learner == "cerebrum (no keys)") is { } noKeys)
        {
            checks.Add(($"without keys F1 {noKeys.F1:F4} still above every baseline", noKeys.F1 > best));
        }

        if (cerebrumRows.FirstOrDefault(r => r.Learner == "cerebrum (keys + corrections)") is { } corrected && main.Learner == "cerebrum (conversation keys)")
        {
            checks.Add(($"with corrections F1 {corrected.F1:F4} above keys alone {main.F1:F4}", corrected.F1 > main.F1));
        }

        if (curve.Count >= 2)
        {
            checks.Add(("held-out perplexity falls", curve.Zip(curve.Skip(1)).All(p => p.Second.Evaluation.Perplexity < p.First.Evaluation.Perplexity)));
        }

        foreach (var (what, ok) in checks)
        {
            AnsiConsole.MarkupLine($"{(ok ? "[green]PASS[/]" : "[red]MISS[/]")} {Markup.Escape(what)}");
        }

        return 0;
    }

    private static DialogueRow Row(string learner, List<DialogueProbe> probes, double seconds) => new(
        learner,
        probes.Average(p => DialogueMetrics.F1(p.Reply, p.Next)),
        probes.Count(p => DialogueMetrics.IsNearCopy(p.Reply, p.Message)) / (double)probes.Count,
        probes.Count(p => DialogueMetrics.IsNearCopy(p.Reply, p.Previous)) / (double)probes.Count,
        DialogueMetrics.Distinct2(probes.Select(p => p.Reply)),
        DialogueMetrics.TopReplyShare(probes.Select(p => p.Reply).ToList()),
        probes.Count,
        seconds);

    private static void Render(List<DialogueRow> rows, List<(int Observations, Cerebrum.Api.Learning.TextEvaluation Evaluation)> curve)
    {
        var table = new Table().Title("Dialogue benchmark: reply to a real turn vs the real next turn");
        foreach (var column in new[] { "learner", "F1", "copies of message", "copies of previous turn", "distinct-2", "top reply share", "probes", "seconds" })
        {
            table.AddColumn(column);
        }

        foreach (var r in rows)
        {
            table.AddRow(Markup.Escape(r.Learner), F(r.F1, 4), Percent(r.MessageCopies), Percent(r.PreviousCopies), F(r.Distinct2, 3),
                Percent(r.TopReplyShare), r.Probes.ToString(CultureInfo.InvariantCulture), F(r.Seconds, 1));
        }

        AnsiConsole.Write(table);
        if (curve.Count == 0)
        {
            return;
        }

        var perplexity = new Table().Title("Held-out perplexity (the probe dialogues' turns, never taught)");
        foreach (var column in new[] { "observations", "open-vocabulary perplexity", "OOV rate", "tokens" })
        {
            perplexity.AddColumn(column);
        }

        foreach (var (observations, evaluation) in curve)
        {
            perplexity.AddRow(observations.ToString(CultureInfo.InvariantCulture), F(evaluation.Perplexity, 1), Percent(evaluation.OovRate),
                evaluation.Tokens.ToString(CultureInfo.InvariantCulture));
        }

        AnsiConsole.Write(perplexity);
    }

    private async Task WriteAsync(List<DialogueRow> rows, List<(int Observations, Cerebrum.Api.Learning.TextEvaluation Evaluation)> curve, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(outputDirectory!);
        var csv = new StringBuilder("learner,f1,message_copies,previous_copies,distinct_2,top_reply_share,probes,seconds\n");
        foreach (var r in rows)
        {
            csv.AppendLine(string.Join(',', "\"" + r.Learner + "\"", F(r.F1, 4), F(r.MessageCopies, 4), F(r.PreviousCopies, 4), F(r.Distinct2, 4),
                F(r.TopReplyShare, 4), r.Probes.ToString(CultureInfo.InvariantCulture), F(r.Seconds, 1)));
        }

        await File.WriteAllTextAsync(Path.Combine(outputDirectory!, "dialogue-bench.csv"), csv.ToString(), cancellationToken);
        var perplexity = new StringBuilder("observations,perplexity,oov_rate,tokens\n");
        foreach (var (observations, evaluation) in curve)
        {
            perplexity.AppendLine(string.Join(',', observations.ToString(CultureInfo.InvariantCulture), F(evaluation.Perplexity, 2),
                F(evaluation.OovRate, 4), evaluation.Tokens.ToString(CultureInfo.InvariantCulture)));
        }

        await File.WriteAllTextAsync(Path.Combine(outputDirectory!, "dialogue-perplexity.csv"), perplexity.ToString(), cancellationToken);
    }

    private static string F(double value, int digits) => value.ToString("F" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private static string Percent(double share) => (100 * share).ToString("F1", CultureInfo.InvariantCulture) + " %";
}
