using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;
using Middleware.Messaging;

namespace Middleware.Apis;

public static class BrokerApi
{
    public static IEndpointRouteBuilder MapBrokerApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/broker")
            .WithTags("Broker");
        api.MapDelete("/topology", RemoveTopologyAsync);
        return app;
    }

    /// <summary>Stops this middleware's bus (so it does not declare its queues again) and deletes every <c>bridge*</c>
    /// exchange and queue. Teacher turns need the bus, so running sessions pause until the middleware restarts.</summary>
    public static async Task<Results<Ok<TopologyRemovalResult>, ProblemHttpResult>> RemoveTopologyAsync(
        IServiceProvider services,
        CancellationToken cancellationToken)
    {
        var remover = services.GetService<BrokerTopologyRemover>();
        if (remover is null)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "No broker configured",
                detail: "ConnectionStrings:rabbitmq is not set: this middleware uses HTTP and has no broker topology to remove.");
        }

        if (services.GetService<IBusControl>() is { } bus)
        {
            await bus.StopAsync(cancellationToken);
        }

        try
        {
            return TypedResults.Ok(await remover.RemoveAsync(cancellationToken));
        }
        catch (Exception ex) when (ex is RabbitMQ.Client.Exceptions.BrokerUnreachableException or HttpRequestException)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Broker unreachable",
                detail: ex.Message);
        }
    }
}
