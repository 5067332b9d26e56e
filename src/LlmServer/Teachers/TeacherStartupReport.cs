namespace LlmServer.Teachers;

/// <summary>
/// At start-up, checks the providers of the chain and says once which one will answer and why, and what is wrong with
/// the others (a missing key or model is a warning here, never a crash).
/// </summary>
public sealed class TeacherStartupReport(TeacherChain chain, ProviderProber prober, ILogger<TeacherStartupReport> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var providers = chain.Names.Select(chain.Find).OfType<ITeacherProvider>().ToList();
        var probes = await prober.ProbeAsync(providers, cancellationToken);

        ITeacherProvider? active = null;
        foreach (var provider in providers)
        {
            var probe = probes[provider.Name];
            if (probe.Usable && active is null)
            {
                active = provider;
            }
            else if (!probe.Usable)
            {
                logger.LogWarning("Teacher provider {Provider} is not usable now: {Reason}", provider.Name, probe.Detail);
            }
        }

        if (active is null)
        {
            logger.LogError("No teacher provider of chain {Chain} is usable; /api/chat answers 503 until one is", string.Join(",", chain.Names));
            return;
        }

        var reason = active == providers[0]
            ? probes[active.Name].Detail ?? "first in the chain"
            : $"{string.Join(", ", providers.TakeWhile(p => p != active).Select(p => p.Name))} not usable";
        logger.LogInformation("Teacher chain {Chain}: active provider {Provider} with model {Model} ({Reason})",
            string.Join(",", chain.Names), active.Name, active.DefaultModel, reason);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
