using System.Globalization;
using Trainer.Cli.Arguments;
using Trainer.Cli.Middleware;

namespace Trainer.Cli.Export;

/// <summary>
/// <c>trainer export --format sft|dpo|modelfile</c>: writes the middleware's reviewed exchanges as training data to
/// standard output (or <c>--output FILE</c>), e.g. <c>… export --format sft &gt; training_data.jsonl</c>.
/// </summary>
public static class ExportCommand
{
    public const string Name = "export";

    public const string Usage = """
        Usage: trainer export --format sft|dpo|modelfile [--session ID] [--min-score X] [--from MODEL] [--limit N]
                              [--output FILE] [--middleware URL] [--api-key KEY]

        Writes the reviewed exchanges as training data: sft (OpenAI chat fine-tuning JSONL of approved replies and
        corrections), dpo (preference JSONL of denied replies with their correction) or modelfile (an Ollama Modelfile).

          --format F          sft, dpo or modelfile (required)
          --session ID        one session only (default: all sessions)
          --min-score X       0..1: approved replies below this score are left out (sft, modelfile)
          --from MODEL        the Modelfile's base model (default gemma3:1b)
          --limit N           the Modelfile's example exchanges, 1..200 (default 20)
          --output FILE       write to FILE instead of standard output
          --middleware URL    middleware base address (default: http://localhost:8002, env BRIDGE_MIDDLEWARE_URL)
          --api-key KEY       sent as X-Api-Key when the middleware requires one (env MIDDLEWARE_API_KEY)

        Exit codes: 0 written, 1 the middleware refused or is unreachable, 2 bad arguments.
        """;

    private static readonly Dictionary<string, string> QueryNames = new(StringComparer.Ordinal)
    {
        ["--format"] = "format",
        ["--session"] = "session_id",
        ["--min-score"] = "min_score",
        ["--from"] = "from",
        ["--limit"] = "limit",
    };

    public static async Task<int> RunAsync(IReadOnlyList<string> args, Func<string, string?> environment, Stream stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var query = new List<string>();
        var middlewareText = environment("BRIDGE_MIDDLEWARE_URL");
        var apiKey = environment("MIDDLEWARE_API_KEY");
        string? output = null;
        var hasFormat = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "-h" or "--help")
            {
                await stderr.WriteLineAsync(Usage);
                return ExitCodes.Success;
            }

            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            var (name, value) = arg.StartsWith("--", StringComparison.Ordinal) && equals > 0 ? (arg[..equals], arg[(equals + 1)..]) : (arg, null);
            if (!QueryNames.ContainsKey(name) && name is not ("--output" or "--middleware" or "--api-key"))
            {
                return await FailAsync(stderr, $"Unknown argument '{arg}'.");
            }

            if (value is null)
            {
                if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    return await FailAsync(stderr, $"Option '{name}' needs a value.");
                }

                value = args[++i];
            }

            switch (name)
            {
                case "--output":
                    output = value;
                    break;
                case "--middleware":
                    middlewareText = value;
                    break;
                case "--api-key":
                    apiKey = value;
                    break;
                default:
                    // The middleware validates the values and says what is wrong with them.
                    hasFormat |= name == "--format";
                    query.Add($"{QueryNames[name]}={Uri.EscapeDataString(value)}");
                    break;
            }
        }

        if (!hasFormat)
        {
            return await FailAsync(stderr, "--format is required: sft, dpo or modelfile.");
        }

        var middleware = TrainerArguments.DefaultMiddleware;
        if (!string.IsNullOrWhiteSpace(middlewareText)
            && (!Uri.TryCreate(middlewareText, UriKind.Absolute, out middleware!) || middleware.Scheme is not ("http" or "https")))
        {
            return await FailAsync(stderr, $"--middleware must be an http:// or https:// address, not '{middlewareText}'.");
        }

        using var http = MiddlewareClient.CreateHttpClient(middleware, string.IsNullOrEmpty(apiKey) ? null : apiKey);
        var client = new MiddlewareClient(http);
        var temporary = output is null ? null : $"{output}.{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}.tmp";
        try
        {
            if (temporary is null)
            {
                await client.ExportAsync(string.Join('&', query), stdout, cancellationToken);
            }
            else
            {
                // A refused export leaves no half-written file behind.
                await using (var file = File.Create(temporary))
                {
                    await client.ExportAsync(string.Join('&', query), file, cancellationToken);
                }

                File.Move(temporary, output!, overwrite: true);
            }

            return ExitCodes.Success;
        }
        catch (MiddlewareException ex)
        {
            await stderr.WriteLineAsync($"error: {ex.Message}");
            return ExitCodes.Failure;
        }
        finally
        {
            if (temporary is not null && File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    private static async Task<int> FailAsync(TextWriter stderr, string error)
    {
        await stderr.WriteLineAsync($"error: {error}");
        await stderr.WriteLineAsync();
        await stderr.WriteLineAsync(Usage);
        return ExitCodes.Usage;
    }
}
