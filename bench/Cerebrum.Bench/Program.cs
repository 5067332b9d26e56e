using Cerebrum.Bench;
using Spectre.Console;

var command = args.FirstOrDefault() ?? "help";
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
            await using var teacherProcess = await ServiceProcess.StartAsync(RepoPaths.ServiceDll("LlmServer"),
                new Dictionary<string, string> { ["Teacher__Chain"] = "embedded" }, TimeSpan.FromSeconds(60), cancellation.Token);
            using var http = new HttpClient { BaseAddress = teacherProcess.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
            return await new LearningCurve(new TeacherClient(http), exchanges, order, output).RunAsync(cancellation.Token);
        }

    case "perf":
        {
            var sizes = options.GetValueOrDefault("sizes", "10000,100000").Split(',').Select(s => int.Parse(s, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            var requests = int.Parse(options.GetValueOrDefault("requests", "300"), System.Globalization.CultureInfo.InvariantCulture);
            var output = options.GetValueOrDefault("out", Path.Combine(RepoPaths.Root, "docs"));
            return await new PerformanceBench(sizes, requests, output).RunAsync(cancellation.Token);
        }

    default:
        AnsiConsole.MarkupLine("usage: Cerebrum.Bench [bold]learning-curve[/] [--exchanges 1000] [--order 4] [--out docs]");
        AnsiConsole.MarkupLine("       Cerebrum.Bench [bold]perf[/] [--sizes 10000,100000] [--requests 300] [--out docs]");
        return command == "help" ? 0 : 2;
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
