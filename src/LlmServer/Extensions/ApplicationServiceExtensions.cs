namespace LlmServer.Extensions;

public static class ApplicationServiceExtensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddTeachers();
        builder.AddReviewers();
        builder.AddTeacherMessaging();
        return builder;
    }
}
