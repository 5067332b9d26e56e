using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Serilog;
using Serilog.Events;
using System.Text.Json;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Aspire-style service defaults: logging, telemetry, health checks, service discovery, resilience,
/// RFC 9457 problem details and the snake_case JSON contract every Bridge service speaks.
/// </summary>
public static class Extensions
{
    private const string HealthEndpointPath = "/health";
    private const string AlivenessEndpointPath = "/alive";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Configuration.AddSeedConfigJson();

        builder.ConfigureSerilog();
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        builder.AddDefaultProblemDetails();

        builder.Services.Configure<JsonOptions>(options => ConfigureJson(options.SerializerOptions));

        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            // The factory's two logging handlers only write at Information and below, which the log level of
            // System.Net.Http.HttpClient (Warning, see ConfigureSerilog) never lets out; they still open a log scope per
            // request. Failures still reach the log through the caller and the resilience handler.
            http.RemoveAllLoggers();
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });

        return builder;
    }

    /// <summary>The wire format of every Bridge HTTP API: snake_case names, enums as strings.</summary>
    public static JsonSerializerOptions ConfigureJson(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        return options;
    }

    /// <summary>Listens on the service's well-known port unless the host was told otherwise
    /// (<c>--urls</c>, <c>ASPNETCORE_URLS</c>, <c>ASPNETCORE_HTTP_PORTS</c>, or the seed's <c>config.json</c> port key).</summary>
    public static WebApplicationBuilder UseDefaultPort(this WebApplicationBuilder builder, int defaultPort, string? seedPortKey = null)
    {
        var configured = builder.Configuration["urls"] ?? builder.Configuration["http_ports"];
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return builder;
        }

        var port = seedPortKey is not null && int.TryParse(builder.Configuration[seedPortKey], out var seedPort) ? seedPort : defaultPort;
        builder.WebHost.UseUrls($"http://localhost:{port}");
        return builder;
    }

    public static TBuilder ConfigureSerilog<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var serviceName = builder.Configuration["OTEL_SERVICE_NAME"] ?? builder.Environment.ApplicationName;
        builder.Services.AddSerilog((services, logger) =>
        {
            logger
                .ReadFrom.Configuration(builder.Configuration)
                .MinimumLevel.Information()
                .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
                .MinimumLevel.Override("Microsoft.Extensions.Http", LogEventLevel.Warning)
                .MinimumLevel.Override("System.Net.Http.HttpClient", LogEventLevel.Warning)
                .MinimumLevel.Override("Polly", LogEventLevel.Warning)
                .MinimumLevel.Override("Yarp", LogEventLevel.Warning)
                .Enrich.FromLogContext()
                .Enrich.WithProperty("Service", serviceName)
                .WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}");

            if (builder.Configuration.HasOtlpCollector())
            {
                logger.WriteTo.OpenTelemetry(options =>
                {
                    options.Endpoint = builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]!;
                    options.ResourceAttributes["service.name"] = serviceName;
                });
            }
        });
        return builder;
    }

    /// <summary>Whether a collector is configured (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, which Aspire injects).</summary>
    public static bool HasOtlpCollector(this IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        // Without a collector nothing reads the spans and metrics, yet recording them costs CPU on every request in and
        // out (an Activity with its tags, for the inbound request, each HttpClient call and each bus message). The
        // runtime's own meters stay readable with dotnet-counters either way.
        if (!builder.Configuration.HasOtlpCollector())
        {
            return builder;
        }

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter("Bridge.*"))
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName, "Bridge.*")
                .AddAspNetCoreInstrumentation(options =>
                    options.Filter = context =>
                        !context.Request.Path.StartsWithSegments(HealthEndpointPath)
                        && !context.Request.Path.StartsWithSegments(AlivenessEndpointPath))
                .AddHttpClientInstrumentation());

        builder.Services.AddOpenTelemetry().UseOtlpExporter();
        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);
        return builder;
    }

    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.UseSerilogRequestLogging(options =>
        {
            // Health probes arrive every second from the AppHost and compose; keep them out of the log.
            options.GetLevel = (context, _, exception) =>
                exception is not null || context.Response.StatusCode >= 500 ? LogEventLevel.Error
                : context.Request.Path.StartsWithSegments(HealthEndpointPath) || context.Request.Path.StartsWithSegments(AlivenessEndpointPath) ? LogEventLevel.Verbose
                : LogEventLevel.Information;
        });

        // Request logging sits outside the exception handler so it records the status the caller really got.
        app.UseExceptionHandler();
        app.UseStatusCodePages();

        // Probes for orchestrators, not part of a service's API document.
        app.MapHealthChecks(HealthEndpointPath).ExcludeFromDescription();
        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions { Predicate = r => r.Tags.Contains("live") }).ExcludeFromDescription();
        return app;
    }
}
