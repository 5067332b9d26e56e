using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Middleware.Infrastructure;
using Middleware.Sessions;
using Refit;

namespace Middleware.Extensions;

public static class PeerClientExtensions
{
    /// <summary>Service-discovery names; the addresses come from <c>services:{name}:http:0</c>.</summary>
    public const string CerebrumService = "cerebrum";
    public const string LlmServerService = "llmserver";

    /// <summary>Refit clients for the two peers, snake_case JSON, with resilience tuned per peer: the standard handler's
    /// 10 s attempt timeout would cut off a teacher turn on a slow CPU model.</summary>
    public static IServiceCollection AddPeerClients(this IServiceCollection services)
    {
        var settings = new RefitSettings(new SystemTextJsonContentSerializer(WireJson.Create()));

        // ServiceDefaults adds the standard handler to every client; these two replace it with their own tuning.
#pragma warning disable EXTEXP0001

        services.AddRefitGeneratedClient<ICerebrumApi>(settings)
            .ConfigureHttpClient(client => Configure(client, CerebrumService))
            .RemoveAllResilienceHandlers()
            .AddStandardResilienceHandler()
            .Configure((options, provider) => Tune(options, provider.GetRequiredService<IOptions<MiddlewareOptions>>().Value.CerebrumTimeoutSeconds));

        services.AddRefitGeneratedClient<ILlmServerApi>(settings)
            .ConfigureHttpClient(client => Configure(client, LlmServerService))
            .RemoveAllResilienceHandlers()
            .AddStandardResilienceHandler()
            .Configure((options, provider) =>
            {
                Tune(options, provider.GetRequiredService<IOptions<MiddlewareOptions>>().Value.TeacherTimeoutSeconds);
                // LlmServer's 503 is its answer that the teacher asked for did not answer: LlmServer itself is fine, so the
                // circuit stays closed. Counted as a failure, one teacher of a pool going down (or a flaky one) opened
                // the circuit for every teacher, and the failures of the calls it refused were charged to whichever
                // teacher was being asked: the good teacher of the routing test looked down for a while after it came back.
                options.CircuitBreaker.ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Result?.StatusCode != System.Net.HttpStatusCode.ServiceUnavailable && HttpClientResiliencePredicates.IsTransient(args.Outcome));
            });

#pragma warning restore EXTEXP0001
        return services;
    }

    private static void Configure(HttpClient client, string service)
    {
        client.BaseAddress = new Uri($"http://{service}");
        // The resilience pipeline owns timeouts.
        client.Timeout = Timeout.InfiniteTimeSpan;
    }

    /// <summary>The most one call to a peer may take through the resilience pipeline: two attempts and the wait between.</summary>
    public static TimeSpan TotalTimeout(double attemptTimeoutSeconds) => TimeSpan.FromSeconds(attemptTimeoutSeconds * 2 + 5);

    /// <summary>One quick retry for a blip; longer outages are the session loop's business (it pauses and backs off).</summary>
    private static void Tune(HttpStandardResilienceOptions options, double timeoutSeconds)
    {
        var attempt = TimeSpan.FromSeconds(timeoutSeconds);
        options.AttemptTimeout.Timeout = attempt;
        options.Retry.MaxRetryAttempts = 1;
        options.Retry.Delay = TimeSpan.FromMilliseconds(500);
        options.TotalRequestTimeout.Timeout = TotalTimeout(timeoutSeconds);
        options.CircuitBreaker.SamplingDuration = attempt * 2 + TimeSpan.FromSeconds(1);
    }
}
