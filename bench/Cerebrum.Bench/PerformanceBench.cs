using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using Cerebrum.Api.Infrastructure;
using Cerebrum.Api.Learning;
using Microsoft.Extensions.Options;
using Spectre.Console;

namespace Cerebrum.Bench;

public sealed record PerfRow(
    int Observations, int Vocabulary, long NgramTypes, double LearnMeanUs, double LearnP99Us, double PersistMeanMs, double StartSeconds,
    double ChatP50Ms, double ChatP99Ms, double StatusP50Ms, double RssMb, double DatabaseMb);

/// <summary>
/// Builds learners of 10k and 100k observations from the embedded teacher's messages, measures how long learning one
/// observation takes in-process, then runs Cerebrum.Api as its own process on that file and measures start-up
/// (replay), <c>POST /api/chat</c> latency and resident memory over real HTTP.
/// </summary>
public sealed class PerformanceBench(int[] sizes, int requests, string outputDirectory)
{
    /// <summary>The budget for learning one observation in memory (tokenise, n-gram counts, statistics).</summary>
    public const double LearnBudgetMicroseconds = 1000;

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var pool = await CollectTeacherMessagesAsync(2000, cancellationToken);
        AnsiConsole.MarkupLine($"Collected [bold]{pool.Count}[/] teacher messages ({pool.Distinct().Count()} distinct) from the embedded teacher.");

        var rows = new List<PerfRow>();
        foreach (var size in sizes)
        {
            rows.Add(await MeasureAsync(size, pool, cancellationToken));
        }

        Render(rows);
        AnsiConsole.MarkupLine($"Load average at the end: {(File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a")} on {Environment.ProcessorCount} cores");
        Directory.CreateDirectory(outputDirectory);
        var csv = new StringBuilder("observations,vocabulary,ngram_types,learn_mean_us,learn_p99_us,persist_mean_ms,start_seconds,chat_p50_ms,chat_p99_ms,status_p50_ms,rss_mb,database_mb\n");
        foreach (var r in rows)
        {
            csv.AppendLine(string.Join(',', new object[] { r.Observations, r.Vocabulary, r.NgramTypes, r.LearnMeanUs, r.LearnP99Us, r.PersistMeanMs, r.StartSeconds, r.ChatP50Ms, r.ChatP99Ms, r.StatusP50Ms, r.RssMb, r.DatabaseMb }
                .Select(v => Convert.ToString(v, CultureInfo.InvariantCulture))));
        }

        await File.WriteAllTextAsync(Path.Combine(outputDirectory, "perf.csv"), csv.ToString(), cancellationToken);
        Charts.Latency(rows.Select(r => ($"{r.Observations / 1000}k observations", r.ChatP50Ms, r.ChatP99Ms)).ToList(), Path.Combine(outputDirectory, "perf-latency.png"));
        var withinBudget = rows.All(r => r.LearnP99Us < LearnBudgetMicroseconds);
        AnsiConsole.MarkupLine($"{(withinBudget ? "[green]PASS[/]" : "[red]FAIL[/]")} learning one observation: p99 under {LearnBudgetMicroseconds:F0} µs at every size");
        return withinBudget ? 0 : 1;
    }

    private async Task<PerfRow> MeasureAsync(int size, List<string> pool, CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("cerebrum-perf-").FullName;
        try
        {
            var path = Path.Combine(directory, "cerebrum.db");
            var options = Options.Create(new CerebrumOptions { DatabasePath = path });
            var store = new ObservationStore(options);
            await store.InitialiseAsync(cancellationToken);
            var memory = new LearnerMemory(options.Value.NgramOrder, options.Value.HeldOutEvery, options.Value.MetricsWindow);
            var random = new Random(size);
            var learnTicks = new long[size];
            var persist = Stopwatch.StartNew();
            var persistTicks = 0L;
            for (var i = 0; i < size; i++)
            {
                var message = Vary(pool[i % pool.Count], i, pool.Count, random);
                var reply = pool[(i * 7 + 3) % pool.Count];
                var exchange = new StoredExchange(0, $"perf-{i / 100}:{i}", $"perf-{i / 100}", message, reply, memory.Phase.ToWire(), "synthesis", 0.5, false);
                var start = Stopwatch.GetTimestamp();
                var sequence = await store.SaveExchangeAsync(exchange, cancellationToken);
                var saved = Stopwatch.GetTimestamp();
                memory.Observe(exchange with { Sequence = sequence });
                learnTicks[i] = Stopwatch.GetTimestamp() - saved;
                persistTicks += saved - start;
                if ((i + 1) % 10000 == 0)
                {
                    AnsiConsole.MarkupLine($"[grey]  {i + 1} observations stored ({persist.Elapsed.TotalSeconds:F0} s)[/]");
                }
            }

            // The first thousand observations warm up the JIT; they are left out of the timing.
            var timed = learnTicks.Skip(Math.Min(1000, size / 10)).Order().ToArray();
            var learnMeanUs = timed.Average() * 1e6 / Stopwatch.Frequency;
            var learnP99Us = timed[(int)(timed.Length * 0.99)] * 1e6 / Stopwatch.Frequency;
            var persistMeanMs = persistTicks * 1e3 / Stopwatch.Frequency / size;
            var vocabulary = memory.Vocabulary.WordCount;
            var ngramTypes = memory.Model.NgramTypes;
            memory = null;
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            GC.Collect();

            var started = Stopwatch.StartNew();
            await using var service = await ServiceProcess.StartAsync(ServiceLaunch.Create(ServiceCatalog.Cerebrum, new Dictionary<string, string?>
                { ["Cerebrum__DatabasePath"] = path, ["Serilog__MinimumLevel__Default"] = "Warning" }), TimeSpan.FromMinutes(5), cancellationToken);
            var startSeconds = started.Elapsed.TotalSeconds;
            using var http = new HttpClient { BaseAddress = service.Url, Timeout = TimeSpan.FromSeconds(60) };

            for (var i = 0; i < 20; i++)
            {
                await ChatAsync(http, pool[i * 13 % pool.Count], $"warm:{i}", cancellationToken);
            }

            var chat = new List<double>();
            for (var i = 0; i < requests; i++)
            {
                var sw = Stopwatch.StartNew();
                await ChatAsync(http, pool[(i * 31 + 5) % pool.Count], $"measure-{size}:{i}", cancellationToken);
                chat.Add(sw.Elapsed.TotalMilliseconds);
            }

            var status = new List<double>();
            for (var i = 0; i < 50; i++)
            {
                var sw = Stopwatch.StartNew();
                using var response = await http.GetAsync("/api/status", cancellationToken);
                response.EnsureSuccessStatusCode();
                status.Add(sw.Elapsed.TotalMilliseconds);
            }

            var rssMb = service.WorkingSetBytes() / 1024.0 / 1024.0;
            var databaseMb = new DirectoryInfo(directory).GetFiles().Sum(f => f.Length) / 1024.0 / 1024.0;
            return new PerfRow(size, vocabulary, ngramTypes, Math.Round(learnMeanUs, 1), Math.Round(learnP99Us, 1), Math.Round(persistMeanMs, 3),
                Math.Round(startSeconds, 2), Math.Round(Percentile(chat, 0.5), 2), Math.Round(Percentile(chat, 0.99), 2),
                Math.Round(Percentile(status, 0.5), 2), Math.Round(rssMb, 1), Math.Round(databaseMb, 1));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>After the first pass through the pool, three messages in ten get one word replaced by a made-up word,
    /// so vocabulary and n-gram tables keep growing as they would with a richer teacher.</summary>
    private static string Vary(string message, int index, int poolSize, Random random)
    {
        if (index < poolSize || random.Next(10) >= 3)
        {
            return message;
        }

        var words = message.Split(' ');
        words[random.Next(words.Length)] = "w" + random.Next(200_000).ToString(CultureInfo.InvariantCulture);
        return string.Join(' ', words);
    }

    private static async Task ChatAsync(HttpClient http, string message, string key, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/chat") { Content = JsonContent.Create(new { message }) };
        request.Headers.Add("Idempotency-Key", key);
        using var response = await http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
    }

    private static async Task<List<string>> CollectTeacherMessagesAsync(int count, CancellationToken cancellationToken)
    {
        await using var teacherProcess = await ServiceProcess.StartAsync(ServiceLaunch.Create(ServiceCatalog.LlmServer, new Dictionary<string, string?>
            { ["Teacher__Chain"] = "embedded", ["Serilog__MinimumLevel__Default"] = "Warning" }), TimeSpan.FromSeconds(60), cancellationToken);
        using var http = new HttpClient { BaseAddress = teacherProcess.Url, Timeout = TimeSpan.FromSeconds(30) };
        var teacher = new TeacherClient(http);
        string[] topics = ["weather", "food", "animals", "family", "work", "music", "travel", "city", "hobbies", "greetings"];
        var messages = new List<string>();
        var history = new List<TeacherTurn>();
        var line = "Hello!";
        for (var n = 0; n < count; n++)
        {
            if (n % 10 == 0)
            {
                history.Clear();
            }

            var message = await teacher.AskAsync(line, history.TakeLast(20).ToList(), topics[n / 10 % topics.Length], cancellationToken);
            messages.Add(message);
            history.Add(new TeacherTurn("user", line));
            history.Add(new TeacherTurn("assistant", message));
            // Answer with a sentence of the teacher's own from earlier, so the teacher keeps reacting to varied words.
            line = messages[(n * 17) % messages.Count].Split('.', '?', '!')[0];
        }

        return messages;
    }

    private static void Render(List<PerfRow> rows)
    {
        var table = new Table().Title("Cerebrum performance");
        foreach (var column in new[] { "observations", "vocabulary", "n-gram types", "learn mean µs", "learn p99 µs", "persist mean ms", "start s", "chat p50 ms", "chat p99 ms", "status p50 ms", "RSS MB", "DB MB" })
        {
            table.AddColumn(column);
        }

        foreach (var r in rows)
        {
            table.AddRow(new object[] { r.Observations, r.Vocabulary, r.NgramTypes, r.LearnMeanUs, r.LearnP99Us, r.PersistMeanMs, r.StartSeconds, r.ChatP50Ms, r.ChatP99Ms, r.StatusP50Ms, r.RssMb, r.DatabaseMb }
                .Select(v => Convert.ToString(v, CultureInfo.InvariantCulture)!).ToArray());
        }

        AnsiConsole.Write(table);
    }
}
