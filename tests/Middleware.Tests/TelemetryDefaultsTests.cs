using Microsoft.Extensions.DependencyInjection;
using Middleware.Tests.Doubles;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Middleware.Tests;

/// <summary>What the middleware spends on telemetry and HTTP logging per call: nothing that nobody reads.</summary>
public sealed class TelemetryDefaultsTests
{
    [Fact]
    public async Task Without_a_collector_no_spans_or_metrics_are_recorded()
    {
        await using var host = Start(collector: null);

        host.Services.GetService<TracerProvider>().ShouldBeNull();
        host.Services.GetService<MeterProvider>().ShouldBeNull();
    }

    [Fact]
    public async Task With_a_collector_spans_and_metrics_are_recorded()
    {
        // Nothing listens there: the exporter's failures are its own, the providers exist all the same.
        await using var host = Start(collector: $"http://127.0.0.1:{PeerDouble.UnusedPort()}");

        host.Services.GetService<TracerProvider>().ShouldNotBeNull();
        host.Services.GetService<MeterProvider>().ShouldNotBeNull();
    }

    [Fact]
    public async Task Http_clients_carry_no_logging_handlers()
    {
        await using var host = Start(collector: null);
        var factory = host.Services.GetRequiredService<IHttpMessageHandlerFactory>();

        // The default client and a peer's Refit client: ServiceDefaults' client defaults apply to both.
        foreach (var name in new[] { Microsoft.Extensions.Options.Options.DefaultName, Refit.UniqueName.ForType<Middleware.Infrastructure.ICerebrumApi>() })
        {
            var handlers = new List<string>();
            for (var handler = factory.CreateHandler(name); handler is DelegatingHandler delegating; handler = delegating.InnerHandler)
            {
                handlers.Add(handler.GetType().FullName!);
            }

            handlers.ShouldNotBeEmpty($"client '{name}' has no handler pipeline");
            handlers.ShouldNotContain(h => h.StartsWith("Microsoft.Extensions.Http.Logging.", StringComparison.Ordinal), string.Join(", ", handlers));
        }
    }

    private static TelemetryHost Start(string? collector)
    {
        var files = new MiddlewareFiles();
        var nowhere = $"http://127.0.0.1:{PeerDouble.UnusedPort()}";
        var settings = collector is null ? null : new Dictionary<string, string?> { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector };
        return new TelemetryHost(MiddlewareHost.Start(files, nowhere, nowhere, settings), files);
    }

    private sealed class TelemetryHost(MiddlewareHost host, MiddlewareFiles files) : IAsyncDisposable
    {
        public IServiceProvider Services => host.Services;

        public async ValueTask DisposeAsync()
        {
            await host.DisposeAsync();
            files.Dispose();
        }
    }
}
