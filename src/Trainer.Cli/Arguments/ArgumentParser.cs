using System.Globalization;

namespace Trainer.Cli.Arguments;

/// <summary>
/// Parses <c>--exchanges N --delay S --topic X --middleware URL --api-key K</c> (also <c>--name=value</c>).
/// Spectre.Console.Cli is not on our package feed, and five options do not justify another dependency.
/// </summary>
public static class ArgumentParser
{
    public const string Usage = """
        Usage: trainer [--exchanges N] [--delay SECONDS] [--topic TEXT] [--middleware URL] [--api-key KEY]
               trainer export --format sft|dpo|modelfile [...]   (trainer export --help for its options)

        Runs one training session through the Bridge middleware in the foreground, shows its progress and
        the latest exchange, and ends with a summary. Ctrl+C stops the session and still prints the summary.

          --exchanges N       exchanges to run, 1..100000 (default: the middleware's Training:MaxExchanges)
          --delay SECONDS     pause between exchanges, 0..3600 (default: the middleware's Training:Delay)
          --topic TEXT        conversation topic (default: the middleware's topic rotation)
          --middleware URL    middleware base address (default: http://localhost:8002, env BRIDGE_MIDDLEWARE_URL)
          --api-key KEY       sent as X-Api-Key when the middleware requires one (env MIDDLEWARE_API_KEY)
          -h, --help          show this help

        Exit codes: 0 session ended (completed, or stopped elsewhere), 1 error, 2 bad arguments, 130 stopped with Ctrl+C.
        """;

    public static ParseResult Parse(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        int? exchanges = null;
        double? delay = null;
        string? topic = null;
        var middlewareText = environment("BRIDGE_MIDDLEWARE_URL");
        var apiKey = environment("MIDDLEWARE_API_KEY");

        for (var i = 0; i < args.Count; i++)
        {
            var (name, inlineValue) = Split(args[i]);
            if (name is "-h" or "--help")
            {
                return ParseResult.Ok(new TrainerArguments(null, null, null, TrainerArguments.DefaultMiddleware, null, ShowHelp: true));
            }

            if (name is not ("--exchanges" or "--delay" or "--topic" or "--middleware" or "--api-key"))
            {
                return ParseResult.Fail($"Unknown argument '{args[i]}'.");
            }

            string value;
            if (inlineValue is not null)
            {
                value = inlineValue;
            }
            else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                value = args[++i];
            }
            else
            {
                return ParseResult.Fail($"Option '{name}' needs a value.");
            }

            switch (name)
            {
                case "--exchanges":
                    if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) || n < 1 || n > TrainerArguments.MaxExchanges)
                    {
                        return ParseResult.Fail($"--exchanges must be a whole number from 1 to {TrainerArguments.MaxExchanges}, not '{value}'.");
                    }

                    exchanges = n;
                    break;
                case "--delay":
                    if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) || !double.IsFinite(d) || d < 0 || d > TrainerArguments.MaxDelaySeconds)
                    {
                        return ParseResult.Fail($"--delay must be a number of seconds from 0 to {TrainerArguments.MaxDelaySeconds}, not '{value}'.");
                    }

                    delay = d;
                    break;
                case "--topic":
                    if (string.IsNullOrWhiteSpace(value) || value.Length > TrainerArguments.MaxTopicLength)
                    {
                        return ParseResult.Fail($"--topic must be 1 to {TrainerArguments.MaxTopicLength} characters.");
                    }

                    topic = value.Trim();
                    break;
                case "--middleware":
                    middlewareText = value;
                    break;
                case "--api-key":
                    apiKey = value;
                    break;
            }
        }

        var middleware = TrainerArguments.DefaultMiddleware;
        if (!string.IsNullOrWhiteSpace(middlewareText))
        {
            if (!Uri.TryCreate(middlewareText, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https"))
            {
                return ParseResult.Fail($"--middleware must be an http:// or https:// address, not '{middlewareText}'.");
            }

            middleware = parsed;
        }

        return ParseResult.Ok(new TrainerArguments(exchanges, delay, topic, middleware, string.IsNullOrEmpty(apiKey) ? null : apiKey, ShowHelp: false));
    }

    private static (string Name, string? Value) Split(string arg)
    {
        var equals = arg.IndexOf('=', StringComparison.Ordinal);
        return arg.StartsWith("--", StringComparison.Ordinal) && equals > 0 ? (arg[..equals], arg[(equals + 1)..]) : (arg, null);
    }
}

public sealed record ParseResult(TrainerArguments? Arguments, string? Error)
{
    public static ParseResult Ok(TrainerArguments arguments) => new(arguments, null);

    public static ParseResult Fail(string error) => new(null, error);
}
