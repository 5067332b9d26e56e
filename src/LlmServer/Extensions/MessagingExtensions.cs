using LlmServer.Messaging;
using MassTransit;
using MassTransit.Logging;
using OpenTelemetry.Trace;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace LlmServer.Extensions;

public static class MessagingExtensions
{
    public const string ConnectionStringName = "rabbitmq";

    /// <summary>
    /// With <c>ConnectionStrings:rabbitmq</c>, LlmServer also takes teacher turns from RabbitMQ as a competing consumer;
    /// without it there is no MassTransit at all and the service is HTTP only.
    /// </summary>
    public static IHostApplicationBuilder AddTeacherMessaging(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<TeacherMessagingOptions>().BindConfiguration(TeacherMessagingOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        var connectionString = builder.Configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            builder.Services.AddHostedService(provider => new TransportAnnouncement(provider.GetRequiredService<ILogger<TransportAnnouncement>>(), null));
            return builder;
        }

        var address = RabbitMqAddress.Parse(connectionString);
        // MassTransit's spans continue the middleware's trace of the exchange. Only for a collector (as in
        // ServiceDefaults): a listener makes MassTransit build a tagged span for every message, read by nobody otherwise.
        if (builder.Configuration.HasOtlpCollector())
        {
            builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing.AddSource(DiagnosticHeaders.DefaultListenerName));
        }

        builder.Services.AddMassTransit(bus =>
        {
            bus.AddTeacherConsumers();
            // A broker outage degrades /health rather than failing it: the HTTP API keeps teaching meanwhile.
            bus.ConfigureHealthCheckOptions(health => health.MinimalFailureStatus = HealthStatus.Degraded);
            bus.UsingRabbitMq((context, rabbit) =>
            {
                if (!BrokerReconnectPolicy.TryApply(rabbit))
                {
                    context.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(BrokerReconnectPolicy))
                        .LogWarning("This MassTransit version keeps its reconnect policy elsewhere: after broker outages endpoints may wait up to 30 s to reconnect");
                }

                rabbit.Host(address.Host, address.Port, address.VirtualHost, host =>
                {
                    host.Username(address.Username);
                    host.Password(address.Password);
                    if (address.UseTls)
                    {
                        host.UseSsl(ssl => ssl.ServerName = address.Host);
                    }
                });
                rabbit.MessageTopology.SetEntityNameFormatter(new BridgeEntityNameFormatter(rabbit.MessageTopology.EntityNameFormatter));
                // The bus's own reply queue carries the prefix too, so nothing of Bridge sits outside it.
                rabbit.OverrideDefaultBusEndpointQueueName($"{BrokerNames.Prefix}-llmserver-bus-{Guid.NewGuid():N}");
                rabbit.ConfigureEndpoints(context);
            });
        });
        builder.Services.AddHostedService(provider => new TransportAnnouncement(provider.GetRequiredService<ILogger<TransportAnnouncement>>(), address));
        builder.Services.AddConsumerWatchdog(address.AmqpUri, [BrokerNames.TeacherTurnsQueue, BrokerNames.ReviewsQueue]);
        return builder;
    }

    /// <summary>The consumers of LlmServer, shared by the RabbitMQ bus and the tests' in-memory harness.</summary>
    public static IBusRegistrationConfigurator AddTeacherConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<GenerateTeacherTurnConsumer, GenerateTeacherTurnConsumerDefinition>();
        bus.AddConsumer<ReviewLearnerReplyConsumer, ReviewLearnerReplyConsumerDefinition>();
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

    private sealed class TransportAnnouncement(ILogger<TransportAnnouncement> logger, RabbitMqAddress? address) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            if (address is null)
            {
                logger.LogInformation("No ConnectionStrings:rabbitmq: HTTP only (POST /api/chat)");
            }
            else
            {
                logger.LogInformation("RabbitMQ at {Broker}: consuming teacher turns from queue {Queue} and reviews from {ReviewsQueue}, and HTTP (POST /api/chat, /api/review)",
                    address.ToString(), BrokerNames.TeacherTurnsQueue, BrokerNames.ReviewsQueue);
            }

            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
