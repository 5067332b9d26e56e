using Cerebrum.Bench;
using Spectre.Console;

var command = args.FirstOrDefault() ?? "help";
if (Console.IsOutputRedirected)
{
    // Piped into a file or a log: tables at full width instead of the 80 columns Spectre assumes.
    AnsiConsole.Profile.Width = 200;
}

var options = ParseOptions(args.Skip(1).ToArray());
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancellation.Cancel(); };

switch (command)
{
    case "learning-curve":
        {
            var exchanges = int.Parse(options.GetValueOrDefault("exchanges", "1000"), System.Globalization.CultureInfo.InvariantCulture);
            var order = int.Parse(options.GetValueOrDefault("order", "4"), System.Globalization.CultureInfo.InvariantCulture);
            var output = options.GetValueOrDefault("out", Path.Combine(RepoPaths.Root, "docs"));
            await using var teacherProcess = await ServiceProcess.StartAsync(ServiceLaunch.Create(ServiceCatalog.LlmServer, new Dictionary<string, string?>
                { ["Teacher__Chain"] = "embedded", ["Serilog__MinimumLevel__Default"] = "Warning" }), TimeSpan.FromSeconds(60), cancellation.Token);
            using var http = new HttpClient { BaseAddress = teacherProcess.Url, Timeout = TimeSpan.FromSeconds(30) };
            return await new LearningCurve(new TeacherClient(http), exchanges, order, output).RunAsync(cancellation.Token);
        }

    case "perf":
        {
            var sizes = options.GetValueOrDefault("sizes", "10000,100000").Split(',').Select(s => int.Parse(s, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            var requests = int.Parse(options.GetValueOrDefault("requests", "300"), System.Globalization.CultureInfo.InvariantCulture);
            var output = options.GetValueOrDefault("out", Path.Combine(RepoPaths.Root, "docs"));
            return await new PerformanceBench(sizes, requests, output).RunAsync(cancellation.Token);
        }

    case "dialogue":
        {
            var path = options.GetValueOrDefault("dialogues", DialogueCorpus.DefaultPath);
            var teach = int.Parse(options.GetValueOrDefault("teach", "400"), System.Globalization.CultureInfo.InvariantCulture);
            var probe = int.Parse(options.GetValueOrDefault("probe", "100"), System.Globalization.CultureInfo.InvariantCulture);
            var order = int.Parse(options.GetValueOrDefault("order", "4"), System.Globalization.CultureInfo.InvariantCulture);
            var variants = options.GetValueOrDefault("variants", "keys,no-keys,corrections").Split(',');
            var output = options.GetValueOrDefault("out", Path.Combine(RepoPaths.Root, "docs"));
            var corpus = DialogueCorpus.Load(Path.GetFullPath(path));
            // --split tune: teach the first 300 of the taught dialogues and probe the next 100, so the method can be
            // tuned without ever looking at the 100 dialogues the reported figures probe.
            if (options.GetValueOrDefault("split", "test") == "tune")
            {
                corpus = corpus with { Dialogues = corpus.Dialogues.Take(teach).ToList() };
                probe = Math.Min(probe, teach / 4);
                teach -= probe;
                output = options.GetValueOrDefault("out", "");
            }

            return await new DialogueBench(corpus, teach, probe, order, variants, output.Length == 0 ? null : output).RunAsync(cancellation.Token);
        }

    default:
        // The option lists hold square brackets, which Spectre reads as markup: escaped, they print as written.
        AnsiConsole.MarkupLine("usage: Cerebrum.Bench [bold]learning-curve[/] " + Markup.Escape("[--exchanges 1000] [--order 4] [--out docs]"));
        AnsiConsole.MarkupLine("       Cerebrum.Bench [bold]perf[/] " + Markup.Escape("[--sizes 10000,100000] [--requests 300] [--out docs]"));
        AnsiConsole.MarkupLine("       Cerebrum.Bench [bold]dialogue[/] " + Markup.Escape("[--dialogues ../shared/data/dialogue/daily-dialogues-dev.txt] [--teach 400] [--probe 100] [--variants keys,no-keys,corrections] [--split test|tune] [--out docs]"));
        return command is "help" or "--help" or "-h" ? 0 : 2;
}

static Dictionary<string, string> ParseOptions(string[] args)
{
    var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
    for (var i = 0; i + 1 < args.Length; i += 2)
    {
        options[args[i].TrimStart('-')] = args[i + 1];
    }

    return options;
}
