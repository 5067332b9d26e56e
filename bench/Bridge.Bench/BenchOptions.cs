using System.Globalization;

namespace Bridge.Bench;

/// <summary>What to measure. Every count is bounded, so a run ends in a few minutes on a small machine.</summary>
public sealed record BenchOptions
{
    /// <summary>Exchanges per mode for the overhead measurement, split into <see cref="Rounds"/> alternating blocks.</summary>
    public int Exchanges { get; init; } = 300;

    public int Rounds { get; init; } = 5;

    /// <summary>Exchanges in each concurrent session of the throughput measurement.</summary>
    public int ThroughputExchanges { get; init; } = 40;

    public IReadOnlyList<int> Concurrency { get; init; } = [1, 4, 16];

    public bool NoBuild { get; init; }

    /// <summary>When set, only the long-session measurement runs, with this many exchanges.</summary>
    public int? LongSessionExchanges { get; init; }

    /// <summary>Direct exchanges before and after the long session, against the same learner.</summary>
    public int LongSessionDirectExchanges { get; init; } = 1000;

    /// <summary>The long session's teacher path: false = HTTP, true = the private RabbitMQ node.</summary>
    public bool LongSessionOverBus { get; init; }

    /// <summary><c>Training:Review</c> of the middleware: <c>off</c> measures the bridge alone (the direct loop reviews
    /// nothing either); <c>teacher</c> or <c>rules</c> adds the review step and Cerebrum's learning from its feedback.</summary>
    public string Review { get; init; } = "off";

    /// <summary>Also write the tables as Markdown to this file.</summary>
    public string? MarkdownPath { get; init; }

    public static TimeSpan SessionTimeout => TimeSpan.FromMinutes(5);

    public const string Help =
        """
        Bridge benchmark: middleware overhead per exchange (p50, p99, mean; RabbitMQ bus vs HTTP vs calling the
        services directly, and as a multiple of the transport's own round trip) and exchanges per second for
        concurrent sessions against as many concurrent direct loops, all with delay 0, on real processes and a
        private RabbitMQ node (rabbitmq-server). --long-session runs one long session instead and prints, per
        thousand exchanges, the rate, the bytes the middleware wrote per exchange and its RSS.

        Usage: dotnet run --project bench/Bridge.Bench -c Release [-- options]
          --exchanges <n>              exchanges per mode for the overhead table (default 300, 10..5000)
          --rounds <n>                 alternate direct/middleware blocks this many times (default 5, 1..20)
          --throughput-exchanges <n>   exchanges per concurrent session (default 40, 5..1000)
          --concurrency <list>         concurrent session counts (default 1,4,16; each 1..64)
          --long-session [n]           only the long-session measurement, n exchanges (default 20000, 1000..100000)
          --long-direct <n>            direct exchanges before and after it (default 1000, 100..20000)
          --long-bus                   run the long session over RabbitMQ instead of HTTP
          --review <mode>              the middleware's Training:Review: off (default: the bridge alone, like the
                                       direct loop), teacher or rules (adds each reply's review and its feedback)
          --markdown <file>            also write the tables as Markdown
          --no-build                   use the services' last build output
        """;

    public static (BenchOptions? Options, string? Error) Parse(IReadOnlyList<string> args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Count; i++)
        {
            string? Next() => i + 1 < args.Count ? args[++i] : null;
            switch (args[i])
            {
                case "-h" or "--help":
                    return (null, null);
                case "--exchanges" when Int(Next(), 10, 5000) is { } n:
                    options = options with { Exchanges = n };
                    break;
                case "--rounds" when Int(Next(), 1, 20) is { } n:
                    options = options with { Rounds = n };
                    break;
                case "--throughput-exchanges" when Int(Next(), 5, 1000) is { } n:
                    options = options with { ThroughputExchanges = n };
                    break;
                case "--concurrency" when Next() is { } list && list.Split(',').Select(v => Int(v, 1, 64)).ToList() is var counts && counts.All(c => c is not null):
                    options = options with { Concurrency = [.. counts.Select(c => c!.Value)] };
                    break;
                case "--review" when Next() is { } mode && mode is "off" or "teacher" or "rules":
                    options = options with { Review = mode };
                    break;
                case "--markdown" when Next() is { } path:
                    options = options with { MarkdownPath = path };
                    break;
                case "--long-session":
                    var count = i + 1 < args.Count && !args[i + 1].StartsWith('-') ? Int(args[++i], 1000, 100_000) : 20_000;
                    if (count is null)
                    {
                        return (null, "--long-session takes a number of exchanges from 1000 to 100000.");
                    }

                    options = options with { LongSessionExchanges = count };
                    break;
                case "--long-direct" when Int(Next(), 100, 20_000) is { } n:
                    options = options with { LongSessionDirectExchanges = n };
                    break;
                case "--long-bus":
                    options = options with { LongSessionOverBus = true };
                    break;
                case "--no-build":
                    options = options with { NoBuild = true };
                    break;
                default:
                    return (null, $"unknown or invalid option '{args[i]}'.");
            }
        }

        return options.Exchanges < options.Rounds
            ? (null, "--exchanges must be at least --rounds.")
            : (options, null);
    }

    private static int? Int(string? value, int min, int max) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max ? n : null;
}
