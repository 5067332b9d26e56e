using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Middleware.Infrastructure;
using Middleware.Reviews;
using Refit;

namespace Middleware.Extensions;

public static class ReviewServiceExtensions
{
    /// <summary>The review step, its store and the feedback outbox, and the HTTP clients they use.</summary>
    public static IServiceCollection AddReviews(this IServiceCollection services)
    {
        services.AddOptions<ReviewOptions>()
            .BindConfiguration(ReviewOptions.SectionName)
            .Configure<IConfiguration>((options, configuration) => options.Mode = configuration[ReviewOptions.ModeKey] ?? options.Mode)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddSingleton<ReviewStore>();
        services.AddSingleton<FeedbackSignal>();
        services.AddSingleton<ExchangeReviewer>();
        services.AddSingleton<HumanReviews>();
        services.AddSingleton<ReviewExport>();
        services.AddHostedService<FeedbackDispatcher>();
        services.AddSingleton<HttpReviewClient>();
        // Over the bus when the messaging wiring registered its client (a broker is configured), else over HTTP.
        services.AddSingleton<IReviewClient>(provider =>
            (IReviewClient?)provider.GetService<BusReviewClient>() ?? provider.GetRequiredService<HttpReviewClient>());

        var settings = new RefitSettings(new SystemTextJsonContentSerializer(WireJson.Create()));
#pragma warning disable EXTEXP0001 // ServiceDefaults adds the standard handler to every client; these replace it with their own tuning.
        services.AddRefitGeneratedClient<ILlmReviewApi>(settings)
            .ConfigureHttpClient(client => Configure(client, PeerClientExtensions.LlmServerService))
            .RemoveAllResilienceHandlers()
            .AddStandardResilienceHandler()
            .Configure((options, provider) => Tune(options, provider.GetRequiredService<IOptions<ReviewOptions>>().Value.TimeoutSeconds));
        services.AddRefitGeneratedClient<ICerebrumFeedbackApi>(settings)
            .ConfigureHttpClient(client => Configure(client, PeerClientExtensions.CerebrumService))
            .RemoveAllResilienceHandlers()
            .AddStandardResilienceHandler()
            .Configure((options, provider) => Tune(options, provider.GetRequiredService<IOptions<Sessions.MiddlewareOptions>>().Value.CerebrumTimeoutSeconds));
#pragma warning restore EXTEXP0001
        return services;
    }

    private static void Configure(HttpClient client, string service)
    {
        client.BaseAddress = new Uri($"http://{service}");
        client.Timeout = Timeout.InfiniteTimeSpan;
    }

    /// <summary>No retries here: the review step and the outbox retry with their own backoff.</summary>
    private static void Tune(HttpStandardResilienceOptions options, double timeoutSeconds)
    {
        var attempt = TimeSpan.FromSeconds(timeoutSeconds);
        options.AttemptTimeout.Timeout = attempt;
        options.Retry.MaxRetryAttempts = 1;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.Retry.ShouldHandle = _ => ValueTask.FromResult(false);
        options.TotalRequestTimeout.Timeout = attempt + TimeSpan.FromSeconds(5);
        options.CircuitBreaker.SamplingDuration = attempt * 2 + TimeSpan.FromSeconds(1);
    }
}
