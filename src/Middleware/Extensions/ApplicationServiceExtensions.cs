using Microsoft.Extensions.Options;
using Middleware.Events;
using Middleware.Infrastructure;
using Middleware.Sessions;
using Middleware.Teachers;

namespace Middleware.Extensions;

public static class ApplicationServiceExtensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Configuration.AddPeerAddressDefaults();
        var services = builder.Services;

        services.AddOptions<TrainingOptions>().BindConfiguration(TrainingOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<MiddlewareOptions>().BindConfiguration(MiddlewareOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<SessionStore>();
        services.AddSingleton<SessionLogWriter>();
        services.AddSingleton<TrainingEventHub>();
        services.AddSingleton(provider =>
        {
            var middleware = provider.GetRequiredService<IOptions<MiddlewareOptions>>().Value;
            return new SessionRunnerServices(
                provider.GetRequiredService<SessionStore>(),
                provider.GetRequiredService<SessionLogWriter>(),
                provider.GetRequiredService<Routing.RoutedTeacherClient>(),
                provider.GetRequiredService<Infrastructure.ICerebrumApi>(),
                provider.GetRequiredService<ITrainingEventPublisher>(),
                provider.GetRequiredService<TrainingEventHub>(),
                provider.GetRequiredService<IOptions<TrainingOptions>>().Value,
                attempt => Backoff(attempt, middleware),
                provider.GetRequiredService<TimeProvider>(),
                provider.GetRequiredService<Reviews.ExchangeReviewer>(),
                provider.GetRequiredService<Routing.SessionRouting>(),
                provider.GetRequiredService<SessionDeadlines>(),
                provider.GetRequiredService<StepWatchdog>());
        });
        services.AddSingleton(provider => provider.GetRequiredService<IOptions<MiddlewareOptions>>().Value.Deadlines);
        services.AddSingleton<StepWatchdog>();
        services.AddHostedService(provider => provider.GetRequiredService<StepWatchdog>());
        services.AddSingleton<SessionSupervisor>();
        services.AddHostedService(provider => provider.GetRequiredService<SessionSupervisor>());

        services.AddPeerClients();
        services.AddReviews();
        services.AddPeerProxy();
        services.AddApiKeys();
        builder.AddTrainingMessaging();
        services.AddTeacherRouting();

        return builder;
    }

    /// <summary>Doubling waits from <c>RetryDelaySeconds</c>, capped at <c>MaxRetryDelaySeconds</c>.</summary>
    public static TimeSpan Backoff(int attempt, MiddlewareOptions options)
    {
        var seconds = options.RetryDelaySeconds * Math.Pow(2, Math.Min(attempt - 1, 30));
        return TimeSpan.FromSeconds(Math.Min(seconds, Math.Max(options.MaxRetryDelaySeconds, options.RetryDelaySeconds)));
    }
}
