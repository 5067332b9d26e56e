using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlmServer.Tests.Doubles;

/// <summary>A provider double's web server: a slim Kestrel app on 127.0.0.1 with a free port and no logging,
/// stopped on dispose. Each double maps the routes of the real API it stands in for.</summary>
public abstract class KestrelDouble : IAsyncDisposable
{
    private WebApplication? _app;

    /// <summary>Where the double listens, e.g. <c>http://127.0.0.1:5123</c>.</summary>
    protected string ListeningAddress =>
        (_app ?? throw new InvalidOperationException($"{GetType().Name} has not been started."))
            .Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    protected async Task HostAsync(Action<WebApplication> mapRoutes)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        mapRoutes(_app);
        await _app.StartAsync();
    }
}
