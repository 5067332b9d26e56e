using Microsoft.Extensions.Options;
using Middleware.Reviews;
using Middleware.Routing;
using Middleware.Teachers;

namespace Middleware.Extensions;

public static class RoutingServiceExtensions
{
    /// <summary>
    /// The teacher pool, its routing and record, and the curriculum. The transport's <see cref="ITeacherClient"/>
    /// (registered by <c>AddTrainingMessaging</c>, which must come first) is wrapped by <see cref="RoutedTeacherClient"/>.
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

        var transport = services.LastOrDefault(d => d.ServiceType == typeof(ITeacherClient))
            ?? throw new InvalidOperationException("AddTeacherRouting needs the teacher transport registered first (AddTrainingMessaging).");
        services.Remove(transport);
        services.AddSingleton<ITeacherClient>(provider => new RoutedTeacherClient(
            Resolve(provider, transport),
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

    private static ITeacherClient Resolve(IServiceProvider provider, ServiceDescriptor descriptor) => descriptor switch
    {
        { ImplementationInstance: ITeacherClient instance } => instance,
        { ImplementationFactory: { } factory } => (ITeacherClient)factory(provider),
        { ImplementationType: { } type } => (ITeacherClient)ActivatorUtilities.CreateInstance(provider, type),
        _ => throw new InvalidOperationException("The teacher transport registration cannot be resolved."),
    };
}
