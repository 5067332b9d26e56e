using Microsoft.Extensions.Options;

namespace LlmServer.Teachers;

/// <summary>Checks providers in parallel, each within <c>Teacher:ProbeTimeoutSeconds</c>, and remembers what it found.</summary>
public sealed class ProviderProber(ProviderAvailability availability, IOptions<TeacherOptions> options)
{
    public async Task<IReadOnlyDictionary<string, ProviderProbe>> ProbeAsync(IEnumerable<ITeacherProvider> providers, CancellationToken cancellationToken)
    {
        var probes = await Task.WhenAll(providers.Select(async provider => (provider.Name, probe: await ProbeOneAsync(provider, cancellationToken))));
        return probes.ToDictionary(p => p.Name, p => p.probe, StringComparer.OrdinalIgnoreCase);
    }

    private async Task<ProviderProbe> ProbeOneAsync(ITeacherProvider provider, CancellationToken cancellationToken)
    {
        if (provider.ConfigurationProblem is { } problem)
        {
            return new ProviderProbe(false, false, [provider.DefaultModel], problem);
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(options.Value.ProbeTimeoutSeconds));
        ProviderProbe probe;
        try
        {
            probe = await provider.ProbeAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            probe = ProviderProbe.Unreachable($"no answer within {options.Value.ProbeTimeoutSeconds:0.###} s");
        }

        availability.Record(provider.Name, probe);
        return probe;
    }
}
