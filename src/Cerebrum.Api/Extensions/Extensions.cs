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
        builder.Services.AddSingleton<Uptime>();
        return builder;
    }
}
