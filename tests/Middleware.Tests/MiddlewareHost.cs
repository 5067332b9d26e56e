using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Middleware.Sessions;

namespace Middleware.Tests;

/// <summary>
/// The middleware on Kestrel (127.0.0.1, a free port) with its own SQLite file and log folder in a temp directory.
/// Disposing it and starting another on the same <see cref="MiddlewareFiles"/> is a restart.
/// </summary>
public sealed class MiddlewareHost : IAsyncDisposable
{
    private readonly WebApplicationFactory<SessionSupervisor> _factory;

    private MiddlewareHost(WebApplicationFactory<SessionSupervisor> factory, HttpClient client)
    {
        _factory = factory;
        Client = client;
    }

    public HttpClient Client { get; }

    public IServiceProvider Services => _factory.Services;

    public static JsonSerializerOptions Json { get; } = Microsoft.Extensions.Hosting.Extensions.ConfigureJson(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static MiddlewareHost Start(
        MiddlewareFiles files,
        string cerebrumAddress,
        string llmServerAddress,
        IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? testServices = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["Middleware:DatabasePath"] = files.DatabasePath,
            ["Middleware:TrainingLogsPath"] = files.LogsPath,
            ["Middleware:RetryDelaySeconds"] = "0.2",
            ["Middleware:MaxRetryDelaySeconds"] = "0.5",
            ["Middleware:CerebrumTimeoutSeconds"] = "5",
            ["Middleware:TeacherTimeoutSeconds"] = "5",
            ["services:cerebrum:http:0"] = cerebrumAddress,
            ["services:llmserver:http:0"] = llmServerAddress,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var factory = new Factory(all, testServices ?? (_ => { }));
        factory.UseKestrel(0);
        factory.StartServer();
        return new MiddlewareHost(factory, factory.CreateClient());
    }

    private sealed class Factory(IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection> testServices)
        : WebApplicationFactory<SessionSupervisor>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            builder.ConfigureTestServices(testServices);
        }
    }

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await Client.GetAsync(path);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async Task<Guid> StartSessionAsync(object body)
    {
        using var response = await Client.PostAsJsonAsync("/api/training/start", body, Json);
        var text = await response.Content.ReadAsStringAsync();
        ((int)response.StatusCode).ShouldBe(202, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("session_id").GetGuid();
    }

    public async Task<JsonElement> SessionAsync(Guid sessionId) => await GetJsonAsync($"/api/training/sessions/{sessionId}");

    /// <summary>Polls the session until <paramref name="done"/> holds; bounded in time and count.</summary>
    public async Task<JsonElement> WaitForSessionAsync(Guid sessionId, Func<JsonElement, bool> done, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        JsonElement session = default;
        for (var i = 0; i < 1000 && DateTime.UtcNow < deadline; i++)
        {
            session = await SessionAsync(sessionId);
            if (done(session))
            {
                return session;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"Session {sessionId} did not reach the expected state; last seen: {session}");
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _factory.DisposeAsync();
    }
}

/// <summary>A temp directory holding one middleware's database and training logs; deleted on dispose.</summary>
public sealed class MiddlewareFiles : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("bridge-middleware-tests-").FullName;

    public string DatabasePath => Path.Combine(Root, "data", "middleware.db");

    public string LogsPath => Path.Combine(Root, "training_logs");

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold the WAL for a moment; the temp folder is cleaned by the OS.
        }
    }
}

public static class JsonElementExtensions
{
    public static string Str(this JsonElement element, string name) => element.GetProperty(name).GetString()!;

    public static int Int(this JsonElement element, string name) => element.GetProperty(name).GetInt32();
}
