using LlmServer.Teachers;
using MassTransit;
using Microsoft.Extensions.Options;

namespace LlmServer.Messaging;

/// <summary>
/// The shared queue every replica reads (so replicas are competing consumers), how many turns one replica takes at once,
/// and retries for turns that failed on every provider (a model that is restarting, say).
/// </summary>
public sealed class GenerateTeacherTurnConsumerDefinition : ConsumerDefinition<GenerateTeacherTurnConsumer>
{
    public GenerateTeacherTurnConsumerDefinition(IOptions<TeacherMessagingOptions> options)
    {
        EndpointName = BrokerNames.TeacherTurnsQueue;
        ConcurrentMessageLimit = options.Value.ConcurrentTurns;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<GenerateTeacherTurnConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.UseMessageRetry(retry =>
        {
            retry.Handle<TeacherUnavailableException>();
            retry.Intervals(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5));
        });
    }
}
