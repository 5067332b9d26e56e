using Cerebrum.Api.Infrastructure;
using Cerebrum.Api.Learning;

namespace Cerebrum.Api.Extensions;

public static class Extensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<CerebrumOptions>()
            .Bind(builder.Configuration.GetSection(CerebrumOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.AddSingleton<ObservationStore>();
        builder.Services.AddSingleton<Learner>();
        builder.Services.AddHostedService<LearnerStartup>();
        builder.Services.AddSingleton(TimeProvider.System);
        // An instance, not a type: uptime counts from start-up, not from the first request that asks for it.
        builder.Services.AddSingleton(new Uptime(TimeProvider.System));
        return builder;
    }
}
