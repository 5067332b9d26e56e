using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

namespace Cerebrum.Api.Tests;

/// <summary>Cerebrum.Api as the user runs it: its own process, real Kestrel on a loopback port, killed and started again.</summary>
public sealed class ProcessTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task Killed_and_restarted_process_keeps_its_observations_and_first_answers()
    {
        var database = _directory.File("cerebrum.db");
        JsonElement first;
        await using (var service = await StartAsync(database))
        {
            first = await ChatAsync(service, "Rain comes from clouds.", "proc:1");
            await ChatAsync(service, "Clouds are made of tiny drops of water.", "proc:2");
            await ChatAsync(service, "Rain comes from clouds.", "proc:1");
        }

        await using (var service = await StartAsync(database))
        {
            var status = await service.Client.GetFromJsonAsync<JsonElement>("/api/status");
            status.GetProperty("observations").GetInt64().ShouldBe(2);
            (await ChatAsync(service, "ignored", "proc:1")).GetRawText().ShouldBe(first.GetRawText());
            (await ChatAsync(service, "Snow falls when it is cold.", "proc:3")).GetProperty("observations").GetInt64().ShouldBe(3);
        }
    }

    [Fact]
    public void Learner_assembly_references_no_other_service_and_no_model_or_broker_library()
    {
        var references = typeof(Infrastructure.CerebrumOptions).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        references.ShouldNotContain(name => name.Contains("LlmServer") || name.Contains("Middleware"));
        references.ShouldNotContain(name => name.Contains("Mass", StringComparison.OrdinalIgnoreCase)
            || name.Contains("Rabbit", StringComparison.OrdinalIgnoreCase)
            || name.Contains("Ollama", StringComparison.OrdinalIgnoreCase)
            || name.Contains("Extensions.AI", StringComparison.OrdinalIgnoreCase));
    }

    private static async Task<JsonElement> ChatAsync(RunningService service, string message, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/chat") { Content = JsonContent.Create(new { message }) };
        request.Headers.Add("Idempotency-Key", key);
        using var response = await service.Client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<RunningService> StartAsync(string database)
    {
        var dll = ServiceDll();
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { dll, "--urls", $"http://127.0.0.1:{port}" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(database)!,
        };
        start.Environment["Cerebrum__DatabasePath"] = database;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var service = new RunningService(process, new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) });

        for (var attempt = 0; attempt < 150; attempt++)
        {
            process.HasExited.ShouldBeFalse("Cerebrum.Api exited during start");
            try
            {
                using var health = await service.Client.GetAsync("/health");
                if (health.StatusCode == HttpStatusCode.OK)
                {
                    return service;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(200);
        }

        await service.DisposeAsync();
        throw new TimeoutException("Cerebrum.Api did not become healthy within 30 s.");
    }

    private static string ServiceDll()
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = output.Parent!.Name;
        for (var directory = output; directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Bridge.sln")))
            {
                return Path.Combine(directory.FullName, "src", "Cerebrum.Api", "bin", configuration, "net10.0", "Cerebrum.Api.dll");
            }
        }

        throw new InvalidOperationException("Bridge.sln not found above " + output.FullName);
    }

    private sealed class RunningService(Process process, HttpClient client) : IAsyncDisposable
    {
        public HttpClient Client { get; } = client;

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            process.Dispose();
        }
    }

    public void Dispose() => _directory.Dispose();
}
