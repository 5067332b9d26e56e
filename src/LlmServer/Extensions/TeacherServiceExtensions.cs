using LlmServer.Teachers;
using LlmServer.Teachers.Claude;
using LlmServer.Teachers.Embedded;
using LlmServer.Teachers.Ollama;
using LlmServer.Teachers.OpenAICompatible;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace LlmServer.Extensions;

public static class TeacherServiceExtensions
{
    private const string OpenAIHttpClient = "openai";
    private const string GeminiHttpClient = "gemini";

    /// <summary>The teacher: its options, every provider, the fallback chain and the start-up report.</summary>
    public static IHostApplicationBuilder AddTeachers(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<TeacherOptions>().BindConfiguration(TeacherOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<OllamaOptions>().BindConfiguration(OllamaOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddHostedModelOptions<OpenAIOptions>(OpenAIOptions.SectionName);
        services.AddHostedModelOptions<GeminiOptions>(GeminiOptions.SectionName);
        services.AddHostedModelOptions<ClaudeOptions>(ClaudeOptions.SectionName);

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ProviderAvailability>();
        services.AddSingleton<ProviderProber>();
        services.AddSingleton<TopicLibrary>();
        services.AddSingleton<TeacherPersona>();
        services.AddSingleton<EmbeddedTeacher>();
        services.AddSingleton<OllamaModelPuller>();

        foreach (var name in new[] { OllamaTeacherProvider.HttpClientName, OpenAIHttpClient, GeminiHttpClient, ClaudeTeacherProvider.HttpClientName })
        {
            // The chain owns timeouts and fallback; the default resilience handler's retries would only delay the next provider.
#pragma warning disable EXTEXP0001 // Experimental in Microsoft.Extensions.Http.Resilience, and the one way to opt a client out of ConfigureHttpClientDefaults.
            services.AddHttpClient(name, http => http.Timeout = Timeout.InfiniteTimeSpan).RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        }

        services.AddSingleton<ITeacherProvider, OllamaTeacherProvider>();
        services.AddSingleton<ITeacherProvider>(sp => new OpenAICompatibleTeacherProvider(
            ProviderNames.OpenAI, sp.GetRequiredService<IOptions<OpenAIOptions>>().Value, sp.GetRequiredService<IHttpClientFactory>().CreateClient(OpenAIHttpClient)));
        services.AddSingleton<ITeacherProvider>(sp => new OpenAICompatibleTeacherProvider(
            ProviderNames.Gemini, sp.GetRequiredService<IOptions<GeminiOptions>>().Value, sp.GetRequiredService<IHttpClientFactory>().CreateClient(GeminiHttpClient)));
        services.AddSingleton<ITeacherProvider, ClaudeTeacherProvider>();
        services.AddSingleton<ITeacherProvider, EmbeddedTeacherProvider>();

        services.AddSingleton<TeacherChain>();
        services.AddHostedService<TeacherStartupReport>();
        return builder;
    }

    /// <summary>Binds <c>Section:*</c> and takes the key from the provider's environment variable when the section has none.</summary>
    private static void AddHostedModelOptions<TOptions>(this IServiceCollection services, string section) where TOptions : HostedModelOptions =>
        services.AddOptions<TOptions>()
            .BindConfiguration(section)
            .Configure<IConfiguration>((options, configuration) =>
            {
                if (!options.HasKey)
                {
                    options.ApiKey = configuration[options.KeyVariable];
                }
            })
            .ValidateDataAnnotations()
            .ValidateOnStart();
}
