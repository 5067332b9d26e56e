using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Spectre.Console;
using Trainer.Cli.Arguments;
using Trainer.Cli.Middleware;

namespace Trainer.Cli.Conveniences;

/// <summary>
/// <c>trainer teachers</c> (the per-teacher record as a table), <c>trainer providers</c> (each provider and model of
/// LlmServer: configured, reachable, active, per role) and <c>trainer chat [--to learner|teacher]</c> (talk to the
/// learner or the teacher yourself; the teacher gets the conversation so far as history). All go through the
/// middleware (its control API and its pass-through to the two services).
/// </summary>
public static class ConvenienceCommands
{
    public static readonly string[] Names = ["teachers", "providers", "chat"];

    public const string Usage = """
        Usage: trainer teachers [--session ID] [--middleware URL] [--api-key KEY]
               trainer providers [--middleware URL] [--api-key KEY]
               trainer chat [--to learner|teacher] [--topic TOPIC] [--middleware URL] [--api-key KEY]

        teachers   the per-teacher record (turns, failures, latency, reward, recent share) as a table
        providers  LlmServer's providers and models: configured, reachable, active; what serves each role
        chat       type a line, read the answer; an empty line or end of input ends it. --to teacher keeps the history.

        Exit codes: 0 done, 1 the middleware refused or is unreachable, 2 bad arguments.
        """;

    public static async Task<int> RunAsync(string command, IReadOnlyList<string> args, Func<string, string?> environment,
        TextReader stdin, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["--middleware"] = environment("BRIDGE_MIDDLEWARE_URL") ?? "",
            ["--api-key"] = environment("MIDDLEWARE_API_KEY") ?? "",
            ["--to"] = "learner",
        };
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] is "-h" or "--help")
            {
                await stdout.WriteLineAsync(Usage);
                return ExitCodes.Success;
            }

            if (args[i] is not ("--middleware" or "--api-key" or "--session" or "--to" or "--topic") || i + 1 >= args.Count)
            {
                await stderr.WriteLineAsync($"error: unknown argument or missing value: '{args[i]}'\n\n{Usage}");
                return ExitCodes.Usage;
            }

            options[args[i]] = args[++i];
        }

        var middleware = TrainerArguments.DefaultMiddleware;
        if (options["--middleware"] is { Length: > 0 } text && (!Uri.TryCreate(text, UriKind.Absolute, out middleware!) || middleware.Scheme is not ("http" or "https")))
        {
            await stderr.WriteLineAsync($"error: --middleware must be an http:// or https:// address, not '{text}'.");
            return ExitCodes.Usage;
        }

        if (options["--to"] is not ("learner" or "teacher"))
        {
            await stderr.WriteLineAsync("error: --to must be learner or teacher.");
            return ExitCodes.Usage;
        }

        using var http = MiddlewareClient.CreateHttpClient(middleware, options["--api-key"] is { Length: > 0 } key ? key : null);
        http.Timeout = TimeSpan.FromMinutes(5);
        var console = ConsoleSetup.Create(stdout, redirected: true);
        try
        {
            switch (command)
            {
                case "teachers":
                    console.Write(TeachersTable(await GetAsync(http, options.TryGetValue("--session", out var s) ? $"/api/training/teachers?session_id={Uri.EscapeDataString(s)}" : "/api/training/teachers", cancellationToken)));
                    break;
                case "providers":
                    var models = await GetAsync(http, "/api/llm/models", cancellationToken);
                    console.Write(ProvidersTable(models));
                    await stdout.WriteLineAsync(RolesLine(models));
                    break;
                default:
                    await ChatAsync(http, options["--to"], options.GetValueOrDefault("--topic"), stdin, stdout, cancellationToken);
                    break;
            }

            return ExitCodes.Success;
        }
        catch (Exception ex) when (ex is HttpRequestException or MiddlewareException or JsonException or TaskCanceledException)
        {
            await stderr.WriteLineAsync($"error: {ex.Message}");
            return ExitCodes.Failure;
        }
    }

    private static async Task ChatAsync(HttpClient http, string to, string? topic, TextReader stdin, TextWriter stdout, CancellationToken cancellationToken)
    {
        var history = new List<object>();
        for (var turn = 0; turn < 10_000; turn++)
        {
            await stdout.WriteAsync("you> ");
            var line = await stdin.ReadLineAsync(cancellationToken);
            if (string.IsNullOrWhiteSpace(line))
            {
                return;
            }

            object body = to == "teacher" ? new { message = line, history, topic } : new { message = line };
            using var response = await http.PostAsJsonAsync(to == "teacher" ? "/api/llm/chat" : "/api/cerebrum/chat", body, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new MiddlewareException($"{(int)response.StatusCode}: {text}");
            }

            using var json = JsonDocument.Parse(text);
            var answer = json.RootElement.GetProperty("response").GetString() ?? "";
            await stdout.WriteLineAsync($"{to}> {answer}");
            history.Add(new { role = "user", content = line });
            history.Add(new { role = "assistant", content = answer });
        }
    }

    private static async Task<JsonElement> GetAsync(HttpClient http, string path, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(path, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new MiddlewareException($"GET {path} answered {(int)response.StatusCode}: {text}");
        }

        using var json = JsonDocument.Parse(text);
        return json.RootElement.Clone();
    }

    public static Table TeachersTable(JsonElement record)
    {
        var table = new Table().AddColumns("teacher", "turns", "failures", "mean latency ms", "mean reward", "recent share", "topics");
        foreach (var t in record.GetProperty("teachers").EnumerateArray())
        {
            table.AddRow(
                Markup.Escape(t.GetProperty("teacher").GetString() ?? ""),
                t.GetProperty("turns").GetInt32().ToString(CultureInfo.InvariantCulture),
                t.GetProperty("failures").GetInt32().ToString(CultureInfo.InvariantCulture),
                Number(t.GetProperty("mean_latency_ms"), "0"),
                Number(t.GetProperty("mean_reward"), "0.000"),
                t.GetProperty("share_recent").GetDouble().ToString("P0", CultureInfo.InvariantCulture),
                t.GetProperty("by_topic").EnumerateObject().Count().ToString(CultureInfo.InvariantCulture));
        }

        return table;
    }

    public static Table ProvidersTable(JsonElement models)
    {
        var active = models.TryGetProperty("active", out var a) ? a.GetString() : null;
        var table = new Table().AddColumns("provider", "configured", "reachable", "active", "models");
        foreach (var p in models.GetProperty("providers").EnumerateArray())
        {
            var name = p.GetProperty("name").GetString() ?? "";
            table.AddRow(
                Markup.Escape(name),
                p.GetProperty("configured").GetBoolean() ? "yes" : "no",
                p.GetProperty("reachable").GetBoolean() ? "yes" : "no",
                name == active ? "teacher" : "",
                Markup.Escape(string.Join(", ", p.GetProperty("models").EnumerateArray().Select(m => m.GetString()))));
        }

        return table;
    }

    private static string RolesLine(JsonElement models) =>
        models.TryGetProperty("roles", out var roles) && roles.ValueKind == JsonValueKind.Object
            ? string.Join("; ", roles.EnumerateObject().Select(r => $"{r.Name}: {r.Value.GetProperty("served").GetString() ?? "nothing"} (chain {string.Join(",", r.Value.GetProperty("chain").EnumerateArray().Select(c => c.GetString()))})"))
            : "";

    private static string Number(JsonElement value, string format) =>
        value.ValueKind == JsonValueKind.Number ? value.GetDouble().ToString(format, CultureInfo.InvariantCulture) : "-";
}
