namespace Ops.Tests.Infrastructure;

/// <summary>
/// One Bridge service run as a user runs it: <c>dotnet &lt;Service&gt;.dll --urls http://127.0.0.1:PORT</c>, in its own
/// working directory, started only once it answers <c>/health</c>.
/// (A trimmed twin of Bridge.IntegrationTests' ServiceProcess, which a test project cannot reference.)
/// </summary>
public sealed class ServiceHost : IAsyncDisposable
{
    private readonly ProcessRunner _process;

    private ServiceHost(string project, Uri address, ProcessRunner process)
    {
        Project = project;
        Address = address;
        _process = process;
    }

    public string Project { get; }

    public Uri Address { get; }

    public string Output => _process.Output;

    public bool HasExited => _process.HasExited;

    public static async Task<ServiceHost> StartAsync(string project, string workingDirectory, IReadOnlyDictionary<string, string?> environment)
    {
        Directory.CreateDirectory(workingDirectory);
        var address = new Uri($"http://127.0.0.1:{Ports.Free()}");
        var variables = new Dictionary<string, string?>(environment)
        {
            // The content root is the project folder, as with `dotnet run`, so the middleware serves src/Middleware/wwwroot.
            ["ASPNETCORE_CONTENTROOT"] = Repository.PathOf("src", project),
            ["services__cerebrum__http__0"] = environment.GetValueOrDefault("services__cerebrum__http__0"),
            ["services__llmserver__http__0"] = environment.GetValueOrDefault("services__llmserver__http__0"),
            ["BRIDGE_CONFIG"] = Path.Combine(workingDirectory, "no-config.json"),
        };
        var process = ProcessRunner.Start("dotnet", [Repository.DllOf(project), "--urls", address.ToString().TrimEnd('/')], workingDirectory, variables);
        var host = new ServiceHost(project, address, process);
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            await Wait.UntilAsync(async () =>
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"{project} exited before it became healthy:\n{process.Output}");
                }

                try
                {
                    using var response = await http.GetAsync(new Uri(address, "/health"));
                    return response.IsSuccessStatusCode;
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    return false;
                }
            }, TimeSpan.FromSeconds(60), $"{project} /health at {address}");
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync()
    {
        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
