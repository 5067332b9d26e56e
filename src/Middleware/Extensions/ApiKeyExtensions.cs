using Microsoft.Extensions.Options;
using Middleware.Apis;

namespace Middleware.Extensions;

public static class ApiKeyExtensions
{
    public static IServiceCollection AddApiKeys(this IServiceCollection services)
    {
        services.AddOptions<ApiKeyOptions>().BindConfiguration(ApiKeyOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ApiKeyOptions>, ApiKeyOptionsValidator>();
        return services;
    }

    /// <summary>Guards everything mapped after it (call it after the static files, before the routes). Logs at start-up
    /// whether a key is required and how many are configured, never the keys.</summary>
    public static WebApplication UseApiKeys(this WebApplication app)
    {
        var keys = app.Services.GetRequiredService<IOptions<ApiKeyOptions>>().Value.Keys;
        if (keys.Count > 0)
        {
            app.Logger.LogInformation("Every route except /health, /alive and the dashboard's files needs an API key ({Count} configured)", keys.Count);
        }
        else
        {
            app.Logger.LogInformation("No API key configured (Middleware:ApiKey, Middleware:ApiKeys): every route is open to whoever reaches this port");
        }

        app.UseMiddleware<ApiKeyMiddleware>();
        return app;
    }
}
