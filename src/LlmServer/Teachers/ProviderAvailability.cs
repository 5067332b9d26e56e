using System.Collections.Concurrent;

namespace LlmServer.Teachers;

/// <summary>
/// What the service last learned about each provider, from probes and from real turns. The chain skips a provider that
/// failed recently instead of paying its timeout on every turn, and tries it again after a while.
/// </summary>
public sealed class ProviderAvailability(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, ProviderState> _states = new(StringComparer.OrdinalIgnoreCase);

    public void Record(string provider, ProviderProbe probe) =>
        _states[provider] = new ProviderState(probe, time.GetUtcNow());

    public void RecordSuccess(string provider)
    {
        var models = _states.TryGetValue(provider, out var previous) ? previous.Probe.Models : [];
        _states[provider] = new ProviderState(new ProviderProbe(true, true, models, null), time.GetUtcNow());
    }

    public void RecordFailure(string provider, string detail)
    {
        var models = _states.TryGetValue(provider, out var previous) ? previous.Probe.Models : [];
        var reachable = previous?.Probe.Reachable ?? false;
        _states[provider] = new ProviderState(new ProviderProbe(reachable, false, models, detail), time.GetUtcNow());
    }

    public ProviderState? Get(string provider) => _states.TryGetValue(provider, out var state) ? state : null;

    /// <summary>True while the provider's last known state is "not usable" and younger than <paramref name="retryAfter"/>.</summary>
    public bool IsKnownUnusable(string provider, TimeSpan retryAfter) =>
        _states.TryGetValue(provider, out var state)
        && !state.Probe.Usable
        && time.GetUtcNow() - state.CheckedAt < retryAfter;
}

public sealed record ProviderState(ProviderProbe Probe, DateTimeOffset CheckedAt);
