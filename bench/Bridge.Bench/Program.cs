using System.Runtime.InteropServices;
using Bridge.Testing;
using Bridge.Testing.Broker;
using Bridge.Bench;
using Spectre.Console;

var (options, error) = BenchOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine(error ?? BenchOptions.Help);
    return error is null ? 0 : 2;
}

// The services' own log lines go through the shared ConsoleLog (Bridge.Testing) to Console.Out; the tables go to the real terminal.
var terminal = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
if (Console.IsOutputRedirected)
{
    // Redirected to a file: wide enough that the tables keep one line per row.
    terminal.Profile.Width = 240;
}

Console.SetOut(TextWriter.Null);
var serviceLog = new ConsoleLog();
void Progress(string line) => terminal.MarkupLine($"[grey]{DateTime.Now:HH:mm:ss}[/] {Markup.Escape(line)}");

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };

var layout = SolutionLayout.TryLocate();
if (layout is null)
{
    terminal.MarkupLine("[red]Cannot find Bridge.sln above the benchmark's build output.[/]");
    return 1;
}

if (!options.NoBuild && !await new ServiceBuilder(layout, serviceLog).BuildAsync(ServiceCatalog.All, cancel.Token))
{
    terminal.MarkupLine("[red]Building the services failed; run 'dotnet build' to see why.[/]");
    return 1;
}

var loadBefore = LoadAverage();
var runner = new BenchRunner(options, serviceLog, Progress);
var overhead = new List<OverheadResult>();
var throughput = new List<ThroughputResult>();
LongSessionResult? longSession = null;
var notes = new List<string>();
var rabbitVersion = "no broker";

if (options.LongSessionExchanges is { } longExchanges)
{
    var longSessions = new LongSession(runner, Progress);
    if (options.LongSessionOverBus)
    {
        if (!LocalRabbitMqNode.IsAvailable())
        {
            terminal.MarkupLine("[red]--long-bus needs rabbitmq-server (apt-get install -y rabbitmq-server).[/]");
            return 1;
        }

        Progress("starting a private RabbitMQ node");
        await using var node = await LocalRabbitMqNode.StartAsync(cancellationToken: cancel.Token);
        rabbitVersion = (await node.RunCtlAsync(["version"], cancel.Token)).Trim();
        longSession = await longSessions.RunAsync(BenchRunner.BusMode, node.ConnectionString, longExchanges, options.LongSessionDirectExchanges, cancel.Token);
    }
    else
    {
        longSession = await longSessions.RunAsync(BenchRunner.HttpMode, null, longExchanges, options.LongSessionDirectExchanges, cancel.Token);
    }
}
else
{
    var (httpOverhead, httpThroughput) = await runner.RunModeAsync(BenchRunner.HttpMode, null, cancel.Token);
    overhead.AddRange(httpOverhead);
    throughput.AddRange(httpThroughput);

    if (LocalRabbitMqNode.IsAvailable())
    {
        Progress("starting a private RabbitMQ node");
        await using var node = await LocalRabbitMqNode.StartAsync(cancellationToken: cancel.Token);
        rabbitVersion = (await node.RunCtlAsync(["version"], cancel.Token)).Trim();
        var (busOverhead, busThroughput) = await runner.RunModeAsync(BenchRunner.BusMode, node.ConnectionString, cancel.Token);
        overhead.AddRange(busOverhead);
        throughput.AddRange(busThroughput);
    }
    else
    {
        notes.Add("RabbitMQ rows missing: rabbitmq-server is not installed (apt-get install -y rabbitmq-server).");
    }
}

if (overhead.Count > 0)
{
    notes.Add("Direct: the benchmark makes the middleware's calls itself (teacher turn, then learner), with the teacher turn over the row's transport " +
        "(RabbitMQ in the RabbitMQ rows); 'vs direct HTTP' compares the same sessions with the direct loop over HTTP. " +
        "The middleware also publishes an event per exchange" + (options.Review == "off" ? "; reviews are off, as in the direct loop." :
        $", and reviews each reply ({options.Review}; over HTTP while the next exchange runs, over RabbitMQ before it) with feedback that Cerebrum learns from; the direct loop does neither."));
}

var environment = $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}, " +
    $"RabbitMQ {rabbitVersion}, services built {layout.Configuration}, embedded teacher, reviews {options.Review}, " +
    (options.LongSessionExchanges is { } n
        ? $"one session of {n} exchanges, {options.LongSessionDirectExchanges} direct exchanges before and after, "
        : $"{options.Exchanges} overhead exchanges in {options.Rounds} rounds, {options.ThroughputExchanges} exchanges per concurrent session, ") +
    $"load average {loadBefore} before and {LoadAverage()} after";
var report = new BenchReport(environment, overhead, throughput, longSession, notes);
ReportWriter.Write(terminal, report);
if (options.MarkdownPath is not null)
{
    await File.WriteAllTextAsync(options.MarkdownPath, ReportWriter.ToMarkdown(report), cancel.Token);
    terminal.MarkupLine($"[grey]Markdown written to {Markup.Escape(options.MarkdownPath)}[/]");
}

return 0;

// Other work on the machine skews every number; the 1-minute load average is printed next to them.
static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";
