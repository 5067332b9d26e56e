using System.Collections.Concurrent;
using OllamaSharp;

namespace LlmServer.Teachers.Ollama;

/// <summary>
/// Pulls a missing Ollama model in the background (<c>Ollama:AutoPull</c>), logging progress in steps of ten percent,
/// so the service starts at once and the chain falls back until the model is there.
/// </summary>
public sealed class OllamaModelPuller(ProviderAvailability availability, ILogger<OllamaModelPuller> logger) : IDisposable
{
    // Lazy: GetOrAdd may run its factory on several threads at once, and a probe and a failed turn can race here.
    private readonly ConcurrentDictionary<string, Lazy<Task>> _pulls = new(StringComparer.OrdinalIgnoreCase);
    private readonly CancellationTokenSource _stopping = new();

    public void EnsurePulling(IOllamaApiClient client, string model) =>
        _ = _pulls.GetOrAdd(model, name => new Lazy<Task>(() => Task.Run(() => PullAsync(client, name, _stopping.Token)))).Value;

    private async Task PullAsync(IOllamaApiClient client, string model, CancellationToken cancellationToken)
    {
        logger.LogInformation("Pulling Ollama model {Model} (Ollama:AutoPull)", model);
        try
        {
            var lastStep = -1;
            string? lastStatus = null;
            await foreach (var progress in client.PullModelAsync(model, cancellationToken))
            {
                if (progress is null)
                {
                    continue;
                }

                var step = progress.Total > 0 ? (int)(progress.Percent / 10) : -1;
                if (progress.Status != lastStatus || step > lastStep)
                {
                    logger.LogInformation("Pulling {Model}: {Status} {Percent:0}%", model, progress.Status, progress.Total > 0 ? progress.Percent : 0);
                    lastStatus = progress.Status;
                    lastStep = Math.Max(step, lastStep);
                }
            }

            logger.LogInformation("Ollama model {Model} is ready", model);
            availability.RecordSuccess(ProviderNames.Ollama);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogError("Pulling Ollama model {Model} failed: {Reason}", model, ex.Message);
            _pulls.TryRemove(model, out _);
        }
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }
}
