using System.Net.Http.Json;
using System.Text.Json;
using Cerebrum.Api.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;

namespace Cerebrum.Api.Tests;

/// <summary>A real Cerebrum.Api host (in-memory server, real SQLite file) on a database path the test chooses.</summary>
public sealed class CerebrumHost(string databasePath) : WebApplicationFactory<CerebrumOptions>
{
    public static readonly JsonSerializerOptions Json = Microsoft.Extensions.Hosting.Extensions.ConfigureJson(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    private readonly Lock _clientLock = new();
    private HttpClient? _client;

    public string DatabasePath { get; } = databasePath;

    /// <summary>One client for the whole test: the factory must not be started from several threads at once.</summary>
    public HttpClient Client
    {
        get
        {
            lock (_clientLock)
            {
                return _client ??= CreateClient();
            }
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.ConfigureAppConfiguration((_, configuration) => configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Cerebrum:DatabasePath"] = DatabasePath,
            ["Serilog:MinimumLevel:Default"] = "Warning",
        }));
    }

    public async Task<ChatReply> ChatAsync(string message, string? key = null)
    {
        var client = Client;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/chat") { Content = JsonContent.Create(new { message }) };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<ChatReply>(Json))!;
    }

    public async Task<JsonElement> StatusAsync()
    {
        return await Client.GetFromJsonAsync<JsonElement>("/api/status");
    }
}

public sealed record ChatReply(string Response, string Phase, long Observations, string ExchangeId);

/// <summary>A temporary directory removed after the test.</summary>
public sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateDirectory(System.IO.Path.Combine(System.IO.Path.GetTempPath(), "cerebrum-tests-" + Guid.NewGuid().ToString("N"))).FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a closing host; the OS temp cleaner takes it.
        }
    }
}
