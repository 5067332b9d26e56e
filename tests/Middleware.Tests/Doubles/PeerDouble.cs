using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Middleware.Tests.Doubles;

/// <summary>
/// A real Kestrel app on 127.0.0.1 speaking one peer's HTTP contract. It can be taken down and brought back on the
/// same port, so the middleware sees a real outage (connection refused), not a flag.
/// </summary>
public abstract class PeerDouble : IAsyncDisposable
{
    private readonly ConcurrentQueue<SeenRequest> _seen = new();
    private WebApplication? _app;

    /// <summary>Every request that reached this peer, whatever its route (so a test sees what the middleware forwards).</summary>
    public IReadOnlyList<SeenRequest> Seen => [.. _seen];

    public int Port { get; private set; }

    public string Address => $"http://127.0.0.1:{Port}";

    public bool IsUp => _app is not null;

    protected abstract void Map(IEndpointRouteBuilder endpoints);

    public async Task StartAsync()
    {
        if (_app is not null)
        {
            return;
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.ConfigureHttpJsonOptions(o => Microsoft.Extensions.Hosting.Extensions.ConfigureJson(o.SerializerOptions));
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, Port));
        var app = builder.Build();
        app.Use((context, next) =>
        {
            _seen.Enqueue(SeenRequest.From(context.Request));
            return next(context);
        });
        Map(app);
        await app.StartAsync();
        if (Port == 0)
        {
            Port = new Uri(app.Urls.First()).Port;
        }

        _app = app;
    }

    /// <summary>Takes the peer down; connections to its port are refused until <see cref="StartAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (_app is null)
        {
            return;
        }

        await _app.StopAsync();
        await _app.DisposeAsync();
        _app = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>A loopback port nothing listens on (for "peer never up" cases).</summary>
    public static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>One request as a peer received it: method, path, query string and every header.</summary>
public sealed record SeenRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers)
{
    public static SeenRequest From(HttpRequest request) => new(
        request.Method,
        request.Path.Value ?? "",
        request.QueryString.Value ?? "",
        request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase));

    public override string ToString() => $"{Method} {Path}{Query} [{string.Join("; ", Headers.Select(h => $"{h.Key}: {h.Value}"))}]";
}
