namespace Bridge.AppHost;

/// <summary>What the user asked for on the command line.</summary>
public sealed record AppHostOptions
{
    public IReadOnlySet<string> Without { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Becomes <c>Teacher__Chain</c> for LlmServer; null leaves LlmServer's own default (<c>auto</c>).</summary>
    public string? Teacher { get; init; }

    public int PortOffset { get; init; }

    public bool NoBroker { get; init; }

    public bool NoBuild { get; init; }

    /// <summary>Where each service gets its working directory; null means <c>.bridge/</c> in the repository root.</summary>
    public string? DataDirectory { get; init; }

    public TimeSpan StartupTimeout { get; init; } = TimeSpan.FromSeconds(90);

    public const string HelpText =
        """
        Bridge AppHost: builds and runs Cerebrum.Api, LlmServer and Middleware with Aspire's wiring.

        Usage: dotnet run --project src/AppHost [-- options]

          --without <service>     do not start a service (cerebrum, llmserver, middleware); may repeat
          --teacher <provider>    LlmServer's teacher chain: auto, embedded, ollama, openai, gemini, claude,
                                  or an ordered list such as ollama,embedded (sets Teacher__Chain)
          --port-offset <n>       add n to every port (8000/8001/8002 by default)
          --no-broker             do not look for RabbitMQ: the middleware talks to LlmServer over HTTP
          --no-build              start the services from their last build output
          --data-dir <path>       parent of the services' working directories (default: <repo>/.bridge)
          --startup-timeout <s>   seconds to wait for each service's /health (default 90)
          -h, --help              show this text

        A broker is taken from ConnectionStrings__rabbitmq when set; otherwise a private local rabbitmq-server
        node is started when the command is installed; otherwise the system runs in HTTP mode.
        """;

    public static ParseResult Parse(IReadOnlyList<string> args)
    {
        var options = new AppHostOptions();
        var without = new HashSet<string>(StringComparer.Ordinal);

        for (var i = 0; i < args.Count; i++)
        {
            var (name, inlineValue) = SplitInline(args[i]);

            string? Value()
            {
                if (inlineValue is not null)
                {
                    return inlineValue;
                }

                return i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : null;
            }

            switch (name)
            {
                case "-h" or "--help" or "-?":
                    return new ParseResult(options, ShowHelp: true, Error: null);

                case "--without":
                    var service = Value();
                    if (service is null)
                    {
                        return Fail($"--without needs a service name: {string.Join(", ", ServiceCatalog.Names)}.");
                    }

                    var canonical = ServiceCatalog.Canonical(service);
                    if (canonical is null)
                    {
                        return Fail($"--without: unknown service '{service}'. Known services: {string.Join(", ", ServiceCatalog.Names)}.");
                    }

                    without.Add(canonical);
                    break;

                case "--teacher":
                    var teacher = Value();
                    if (string.IsNullOrWhiteSpace(teacher))
                    {
                        return Fail($"--teacher needs a provider: {string.Join(", ", TeacherProviders.Known)}.");
                    }

                    var unknown = TeacherProviders.Unknown(teacher);
                    if (unknown is not null)
                    {
                        return Fail($"--teacher: unknown provider '{unknown}'. Known providers: {string.Join(", ", TeacherProviders.Known)}.");
                    }

                    options = options with { Teacher = teacher.Replace(" ", string.Empty, StringComparison.Ordinal).ToLowerInvariant() };
                    break;

                case "--port-offset":
                    var offsetText = Value();
                    if (!int.TryParse(offsetText, out var offset) || offset < 0 || offset > 57000)
                    {
                        return Fail($"--port-offset needs a whole number from 0 to 57000 (got '{offsetText}').");
                    }

                    options = options with { PortOffset = offset };
                    break;

                case "--startup-timeout":
                    var timeoutText = Value();
                    if (!int.TryParse(timeoutText, out var seconds) || seconds < 1 || seconds > 3600)
                    {
                        return Fail($"--startup-timeout needs a number of seconds from 1 to 3600 (got '{timeoutText}').");
                    }

                    options = options with { StartupTimeout = TimeSpan.FromSeconds(seconds) };
                    break;

                case "--data-dir":
                    var directory = Value();
                    if (string.IsNullOrWhiteSpace(directory))
                    {
                        return Fail("--data-dir needs a path.");
                    }

                    options = options with { DataDirectory = Path.GetFullPath(directory) };
                    break;

                case "--no-broker":
                    options = options with { NoBroker = true };
                    break;

                case "--no-build":
                    options = options with { NoBuild = true };
                    break;

                default:
                    return Fail($"unknown option '{args[i]}'.");
            }
        }

        if (without.Count == ServiceCatalog.Names.Count)
        {
            return Fail("every service is excluded with --without; nothing would run.");
        }

        return new ParseResult(options with { Without = without }, ShowHelp: false, Error: null);
    }

    private static (string Name, string? Value) SplitInline(string arg)
    {
        var equals = arg.IndexOf('=', StringComparison.Ordinal);
        return arg.StartsWith("--", StringComparison.Ordinal) && equals > 0 ? (arg[..equals], arg[(equals + 1)..]) : (arg, null);
    }

    private static ParseResult Fail(string error) => new(new AppHostOptions(), ShowHelp: false, Error: error);

    public sealed record ParseResult(AppHostOptions Options, bool ShowHelp, string? Error);
}

/// <summary>The provider names LlmServer understands in <c>Teacher:Chain</c> (docs/contracts.md).</summary>
public static class TeacherProviders
{
    public static readonly IReadOnlyList<string> Known = ["auto", "embedded", "ollama", "openai", "gemini", "claude"];

    /// <summary>The first name in a comma-separated chain that LlmServer would not know, or null.</summary>
    public static string? Unknown(string chain) =>
        chain.Split(',', StringSplitOptions.TrimEntries)
            .FirstOrDefault(name => !Known.Contains(name.ToLowerInvariant()));
}

public static class ExitCodes
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Usage = 2;
    public const int PortInUse = 3;
}
