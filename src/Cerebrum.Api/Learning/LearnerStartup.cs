namespace Cerebrum.Api.Learning;

/// <summary>Rebuilds the learner's memory before the first request is served.</summary>
public sealed class LearnerStartup(Learner learner) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => learner.LoadAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
