using System.Diagnostics;
using MassTransit;

namespace Bridge.Bench;

/// <summary>
/// What one round trip of the teacher's transport costs on this machine with nothing behind it: an HTTP GET of a
/// service's <c>/alive</c>, or a MassTransit request/response through the broker to a consumer that answers at once.
/// The middleware's overhead cannot go below one of these per exchange.
/// </summary>
public static class TransportFloor
{
    public static async Task<Samples> HttpAsync(HttpClient http, Uri service, int count, CancellationToken cancellationToken)
    {
        var alive = new Uri(service, "/alive");
        var times = new List<double>(count);
        for (var i = 0; i < count + 20; i++)
        {
            var clock = Stopwatch.StartNew();
            using var response = await http.GetAsync(alive, cancellationToken);
            response.EnsureSuccessStatusCode();
            await response.Content.ReadAsByteArrayAsync(cancellationToken);
            if (i >= 20)
            {
                times.Add(clock.Elapsed.TotalMilliseconds);
            }
        }

        return new Samples(times);
    }

    public static async Task<Samples> BusAsync(string connectionString, int count, CancellationToken cancellationToken)
    {
        var bus = Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(new Uri(connectionString));
            rabbit.ReceiveEndpoint("bench-transport-floor", endpoint => endpoint.Handler<Ping>(context => context.RespondAsync(new Pong(context.Message.Number))));
        });
        await bus.StartAsync(cancellationToken);
        try
        {
            var client = bus.CreateRequestClient<Ping>(new Uri("queue:bench-transport-floor"));
            var times = new List<double>(count);
            for (var i = 0; i < count + 20; i++)
            {
                var clock = Stopwatch.StartNew();
                await client.GetResponse<Pong>(new Ping(i), cancellationToken);
                if (i >= 20)
                {
                    times.Add(clock.Elapsed.TotalMilliseconds);
                }
            }

            return new Samples(times);
        }
        finally
        {
            await bus.StopAsync(CancellationToken.None);
        }
    }

    public sealed record Ping(int Number);

    public sealed record Pong(int Number);
}
