using System.ComponentModel.DataAnnotations;
using MassTransit;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Middleware.Messaging;

/// <summary><c>Messaging:Watchdog:*</c>: how often the broker is asked whether this service's queues still have a consumer.</summary>
public sealed class ConsumerWatchdogOptions
{
    public const string SectionName = "Messaging:Watchdog";

    [Range(typeof(TimeSpan), "00:00:00.1", "00:10:00")]
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a queue may have no consumer, while the broker answers, before the bus is restarted.
    /// Well above a normal reconnect (a few seconds, <see cref="BrokerReconnectPolicy"/>), so it never races one.</summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "01:00:00")]
    public TimeSpan RestartAfter { get; set; } = TimeSpan.FromSeconds(45);
}

/// <summary>
/// Restarts the bus when a queue this service consumes has had no consumer for <see cref="ConsumerWatchdogOptions.RestartAfter"/>
/// while the broker answers. MassTransit 8.5 can lose a receive endpoint across broker restarts without a word: in a
/// ten-restart drill one LlmServer stopped consuming after the eighth, logged nothing more and every teacher turn timed
/// out, while its /health and the broker were fine. The broker's consumer count is the one thing that cannot be wrong
/// about that, so it is asked over a connection of the watchdog's own. With several replicas on one queue a replica that
/// lost its consumer goes unnoticed while another consumes (capacity drops, nothing stops); the middleware and LlmServer
/// each hold a copy, as they do of <see cref="BrokerReconnectPolicy"/>. A bus stopped on purpose (shutdown, the
/// middleware's topology removal) is left stopped: the watchdog only looks after a bus that is meant to run.
/// </summary>
public sealed class ConsumerWatchdog(
    IBusControl bus, BusLifecycle state, Uri amqpUri, IReadOnlyList<string> queues, IOptions<ConsumerWatchdogOptions> options,
    TimeProvider clock, ILogger<ConsumerWatchdog> logger) : BackgroundService
{
    private static readonly TimeSpan BusStopLimit = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan BusStartLimit = TimeSpan.FromSeconds(60);
    private readonly Dictionary<string, DateTimeOffset> consumerlessSince = [];
    private IConnection? connection;
    private bool restartUnfinished;

    /// <summary>How many times this watchdog restarted the bus (for tests and logs).</summary>
    public int Restarts { get; private set; }

    /// <summary>How many checks it has made, a skipped one (bus stopped on purpose) included: tests wait for these.</summary>
    public int Checks { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.CheckInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (!state.Running && !restartUnfinished)
                {
                    consumerlessSince.Clear();
                }
                else if (await FindConsumerlessQueueAsync(stoppingToken) is { } stuck)
                {
                    await RestartBusAsync(stuck, stoppingToken);
                }

                Checks++;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            await CloseConnectionAsync();
        }
    }

    /// <summary>A queue that has gone consumerless for too long, or null. While the broker cannot be asked nothing is
    /// held against the bus: the endpoints are meant to be waiting for it then.</summary>
    private async Task<string?> FindConsumerlessQueueAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        foreach (var queue in queues)
        {
            var (brokerAnswered, consumers) = await CountConsumersAsync(queue, cancellationToken);
            if (!brokerAnswered)
            {
                consumerlessSince.Clear();
                return null;
            }

            if (consumers is null or > 0)
            {
                consumerlessSince.Remove(queue);
                continue;
            }

            var since = consumerlessSince.TryGetValue(queue, out var first) ? first : consumerlessSince[queue] = now;
            if (now - since >= options.Value.RestartAfter)
            {
                return queue;
            }
        }

        return null;
    }

    /// <summary>Whether the broker answered, and the queue's consumer count; null when the queue does not exist, which
    /// tells nothing (the middleware's reply queue is declared on its first request, and an auto-delete queue goes with
    /// its last consumer; a durable queue outlives its consumer, and the middleware's sends declare LlmServer's).</summary>
    private async Task<(bool BrokerAnswered, uint? Consumers)> CountConsumersAsync(string queue, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        try
        {
            connection ??= await new ConnectionFactory
            {
                Uri = amqpUri,
                ClientProvidedName = "bridge-middleware-watchdog",
                AutomaticRecoveryEnabled = false,
                RequestedConnectionTimeout = TimeSpan.FromSeconds(5),
            }.CreateConnectionAsync(timeout.Token);
            // A passive declare of a missing queue closes its channel, so each question gets a channel of its own.
            await using var channel = await connection.CreateChannelAsync(cancellationToken: timeout.Token);
            var declared = await channel.QueueDeclarePassiveAsync(queue, timeout.Token);
            return (true, declared.ConsumerCount);
        }
        catch (OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == 404 && connection is { IsOpen: true })
        {
            return (true, null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogDebug(ex, "Watchdog could not ask the broker about {Queue}", queue);
            await CloseConnectionAsync();
            return (false, null);
        }
    }

    private async Task RestartBusAsync(string queue, CancellationToken cancellationToken)
    {
        logger.LogWarning("Queue {Queue} has had no consumer for {Seconds:0} s while the broker answers: restarting the bus", queue, options.Value.RestartAfter.TotalSeconds);
        consumerlessSince.Clear();
        Restarts++;
        // Until the bus has started again the watchdog keeps at it, although a stopped bus is otherwise left alone.
        restartUnfinished = true;
        try
        {
            // A lost endpoint can keep its stop waiting for ever, so the stop is bounded; MassTransit counts a cancelled stop as stopped.
            using (var stopLimit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                stopLimit.CancelAfter(BusStopLimit);
                await bus.StopAsync(stopLimit.Token).WaitAsync(BusStopLimit, cancellationToken);
            }

            state.ForgetFaults();

            using var startLimit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            startLimit.CancelAfter(BusStartLimit);
            await bus.StartAsync(startLimit.Token);
            // A stop that never finished leaves MassTransit thinking the bus runs, and StartAsync then returns at once.
            restartUnfinished = !state.Running;
            if (restartUnfinished)
            {
                logger.LogError("The bus did not stop after queue {Queue} lost its consumer; the watchdog tries again in {Seconds:0} s", queue, options.Value.RestartAfter.TotalSeconds);
            }
            else
            {
                logger.LogInformation("Bus restarted after queue {Queue} lost its consumer", queue);
            }
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogError(ex, "The bus could not be restarted after queue {Queue} lost its consumer; the watchdog tries again in {Seconds:0} s",
                queue, options.Value.RestartAfter.TotalSeconds);
        }
    }

    private async Task CloseConnectionAsync()
    {
        var open = connection;
        connection = null;
        if (open is not null)
        {
            try
            {
                await open.DisposeAsync();
            }
            catch (Exception ex)
            {
                logger.LogDebug(ex, "Watchdog's broker connection did not close cleanly");
            }
        }
    }
}

/// <summary>
/// Whether the bus is meant to be running (started and not since stopped, by anyone: the watchdog starts it again
/// itself), and the bus's receive endpoints. MassTransit 8.5 starts only endpoints it thinks are not running, and an
/// endpoint stopped while faulted (waiting to reconnect) still says it is, so a restarted bus would leave it out for
/// good; <see cref="ForgetFaults"/> tells those endpoints they are stopped.
/// </summary>
public sealed class BusLifecycle : IBusObserver, IReceiveEndpointObserver
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Uri, IReceiveEndpoint> endpoints = new();
    private volatile bool running;

    public bool Running => running;

    /// <summary>After the bus has stopped: marks each endpoint that never reported its stop as completed, so the next
    /// start starts it.</summary>
    public void ForgetFaults()
    {
        foreach (var endpoint in endpoints.Values.OfType<MassTransit.Transports.ReceiveEndpoint>())
        {
            if (endpoint.CurrentState is MassTransit.Transports.ReceiveEndpoint.State.Faulted or MassTransit.Transports.ReceiveEndpoint.State.Started)
            {
                endpoint.CurrentState = MassTransit.Transports.ReceiveEndpoint.State.Completed;
            }
        }
    }

    public Task PostStart(IBus bus, Task<BusReady> busReady)
    {
        running = true;
        return Task.CompletedTask;
    }

    public Task PreStop(IBus bus)
    {
        running = false;
        return Task.CompletedTask;
    }

    public Task Ready(ReceiveEndpointReady ready) => Remember(ready);

    public Task Faulted(ReceiveEndpointFaulted faulted) => Remember(faulted);

    public Task Stopping(ReceiveEndpointStopping stopping) => Remember(stopping);

    public Task Completed(ReceiveEndpointCompleted completed) => Remember(completed);

    private Task Remember(ReceiveEndpointEvent endpointEvent)
    {
        endpoints[endpointEvent.InputAddress] = endpointEvent.ReceiveEndpoint;
        return Task.CompletedTask;
    }

    public void PostCreate(IBus bus)
    {
    }

    public void CreateFaulted(Exception exception)
    {
    }

    public Task PreStart(IBus bus) => Task.CompletedTask;

    public Task StartFaulted(IBus bus, Exception exception) => Task.CompletedTask;

    public Task PostStop(IBus bus) => Task.CompletedTask;

    public Task StopFaulted(IBus bus, Exception exception) => Task.CompletedTask;
}
