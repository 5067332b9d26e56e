using MassTransit;
using MassTransit.Logging;
using OpenTelemetry.Trace;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Middleware.Events;
using Middleware.Messaging;
using Middleware.Messaging.Consumers;
using Middleware.Teachers;

namespace Middleware.Extensions;

public static class MessagingExtensions
{
    public const string ConnectionStringName = "rabbitmq";

    /// <summary>With <c>ConnectionStrings:rabbitmq</c> teacher turns and training events go over RabbitMQ;
    /// without it the teacher is called over HTTP and events stay in process.</summary>
    public static IHostApplicationBuilder AddTrainingMessaging(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var connectionString = builder.Configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            services.AddSingleton<ITeacherClient, HttpTeacherClient>();
            services.AddSingleton<ITrainingEventPublisher, InProcessTrainingEventPublisher>();
            services.AddHostedService(provider => new TransportAnnouncement(
                provider.GetRequiredService<ILogger<TransportAnnouncement>>(), null));
            return builder;
        }

        var connection = RabbitMqConnection.Parse(connectionString);
        services.AddSingleton(connection);
        services.AddSingleton<ITeacherClient, BusTeacherClient>();
        services.AddSingleton<Reviews.BusReviewClient>();
        services.AddSingleton<ITrainingEventPublisher, BusTrainingEventPublisher>();
        services.AddSingleton<BrokerTopologyRemover>();
        // MassTransit's spans join the exchange's trace: middleware -> RabbitMQ -> LlmServer and back. Only for a collector
        // (as in ServiceDefaults): a listener makes MassTransit build a tagged span for every send, receive and publish.
        if (builder.Configuration.HasOtlpCollector())
        {
            services.AddOpenTelemetry().WithTracing(tracing => tracing.AddSource(DiagnosticHeaders.DefaultListenerName));
        }

        // Named here, not inside the bus set-up, so the watchdog asks about the same queue the bus consumes its replies from.
        var busEndpointQueue = $"{BrokerNames.BusEndpointPrefix}{Guid.NewGuid():N}";
        services.AddMassTransit(bus =>
        {
            bus.AddBridgeConsumers();
            // A broker outage degrades /health instead of failing it: the middleware keeps serving and sessions pause.
            bus.ConfigureHealthCheckOptions(health => health.MinimalFailureStatus = HealthStatus.Degraded);
            bus.UsingRabbitMq((context, rabbit) =>
            {
                if (!BrokerReconnectPolicy.TryApply(rabbit))
                {
                    context.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(BrokerReconnectPolicy))
                        .LogWarning("This MassTransit version keeps its reconnect policy elsewhere: after broker outages endpoints may wait up to 30 s to reconnect");
                }

                rabbit.Host(connection.Host, connection.Port, connection.VirtualHost, connection.Host, host =>
                {
                    host.Username(connection.Username);
                    host.Password(connection.Password);
                    if (connection.UseTls)
                    {
                        host.UseSsl(ssl => ssl.ServerName = connection.Host);
                    }
                });
                rabbit.MessageTopology.SetEntityNameFormatter(new BridgeEntityNameFormatter(rabbit.MessageTopology.EntityNameFormatter));
                rabbit.OverrideDefaultBusEndpointQueueName(busEndpointQueue);
                rabbit.ConfigureEndpoints(context);
            });
        });
        services.AddHostedService(provider => new TransportAnnouncement(
            provider.GetRequiredService<ILogger<TransportAnnouncement>>(), connection));
        services.AddConsumerWatchdog(connection.AmqpUri, [busEndpointQueue, BrokerNames.LiveStatusQueue]);
        return builder;
    }

    /// <summary>The middleware's consumers: live status from its own training events, on one queue.</summary>
    public static IBusRegistrationConfigurator AddBridgeConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<ExchangeCompletedConsumer, LiveStatusConsumerDefinition<ExchangeCompletedConsumer>>();
        bus.AddConsumer<TrainingSessionStartedConsumer, LiveStatusConsumerDefinition<TrainingSessionStartedConsumer>>();
        bus.AddConsumer<TrainingSessionEndedConsumer, LiveStatusConsumerDefinition<TrainingSessionEndedConsumer>>();
        return bus;
    }

    /// <summary>The watchdog that restarts the bus when one of <paramref name="queues"/> has lost its consumer, and the
    /// bus and endpoint observer it reads.</summary>
    private static void AddConsumerWatchdog(this IServiceCollection services, Uri amqpUri, IReadOnlyList<string> queues)
    {
        services.AddSingleton<BusLifecycle>();
        services.AddBusObserver(provider => provider.GetRequiredService<BusLifecycle>());
        services.AddReceiveEndpointObserver(provider => provider.GetRequiredService<BusLifecycle>());
        services.AddOptions<ConsumerWatchdogOptions>().BindConfiguration(ConsumerWatchdogOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddHostedService(provider => new ConsumerWatchdog(
            provider.GetRequiredService<IBusControl>(), provider.GetRequiredService<BusLifecycle>(), amqpUri, queues,
            provider.GetRequiredService<IOptions<ConsumerWatchdogOptions>>(), TimeProvider.System, provider.GetRequiredService<ILogger<ConsumerWatchdog>>()));
    }

    private sealed class TransportAnnouncement(ILogger<TransportAnnouncement> logger, RabbitMqConnection? connection) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            if (connection is null)
            {
                logger.LogInformation("No RabbitMQ connection string: teacher turns go over HTTP");
            }
            else
            {
                logger.LogInformation(
                    "RabbitMQ at {Host}:{Port} (vhost {VirtualHost}): teacher turns go over the bus to queue {Queue}; training events are published",
                    connection.Host, connection.Port, connection.VirtualHost, BrokerNames.TeacherTurnsQueue);
            }

            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
