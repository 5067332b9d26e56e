using Microsoft.Extensions.Options;
using Middleware.Reviews;
using Middleware.Routing;
using Middleware.Teachers;

namespace Middleware.Extensions;

public static class RoutingServiceExtensions
{
    /// <summary>
    /// The teacher pool, its routing and record, and the curriculum. The session loop's teacher is
    /// <see cref="RoutedTeacherClient"/>, which wraps the transport's <see cref="ITeacherClient"/>.
    /// </summary>
    public static IServiceCollection AddTeacherRouting(this IServiceCollection services)
    {
        services.AddOptions<RoutingOptions>()
            .BindConfiguration(RoutingOptions.SectionName)
            .Configure<IConfiguration>(ReadTrainingKeys)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddSingleton<TeacherRecordStore>();
        services.AddSingleton<SessionPlans>();
        services.AddSingleton<TeacherRouter>();
        services.AddSingleton<SessionCurriculum>();
        services.AddSingleton<SessionRouting>();
        services.AddSingleton<IReviewObserver, TeacherRewardObserver>();

        // The session loop asks this one; ITeacherClient stays the transport (HTTP or bus) it wraps.
        services.AddSingleton<RoutedTeacherClient>(provider => new RoutedTeacherClient(
            provider.GetRequiredService<ITeacherClient>(),
            provider.GetRequiredService<TeacherRouter>(),
            provider.GetRequiredService<TeacherRecordStore>(),
            provider.GetRequiredService<IOptions<RoutingOptions>>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<RoutedTeacherClient>>()));
        return services;
    }

    /// <summary><c>Training:Teachers</c> as an array or one comma-separated string; <c>Training:Routing</c>, <c>Training:Curriculum</c>.</summary>
    private static void ReadTrainingKeys(RoutingOptions options, IConfiguration configuration)
    {
        var teachers = configuration.GetSection(RoutingOptions.TeachersKey);
        var listed = teachers.Value is { } joined
            ? joined.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : teachers.GetChildren().Select(child => child.Value).OfType<string>().Select(value => value.Trim());
        options.Teachers = [.. listed];
        if (configuration[RoutingOptions.StrategyKey] is { Length: > 0 } strategy)
        {
            options.Strategy = strategy.Trim();
        }

        if (configuration[RoutingOptions.CurriculumKey] is { Length: > 0 } curriculum)
        {
            options.Curriculum = curriculum.Trim();
        }
    }
}
