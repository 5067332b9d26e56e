using Middleware.Messaging;

namespace Middleware.Extensions;

/// <summary><c>dotnet Middleware.dll --uninstall</c>: removes the Bridge broker topology and exits, without serving.</summary>
public static class UninstallCommand
{
    public const string Switch = "--uninstall";

    public static bool IsRequested(string[] args) => args.Contains(Switch, StringComparer.OrdinalIgnoreCase);

    /// <summary>The arguments for the host, without the switch (the command-line configuration provider wants pairs).</summary>
    public static string[] HostArguments(string[] args) => [.. args.Where(a => !string.Equals(a, Switch, StringComparison.OrdinalIgnoreCase))];

    public static async Task<int> RunAsync(WebApplication app)
    {
        var remover = app.Services.GetService<BrokerTopologyRemover>();
        if (remover is null)
        {
            Console.WriteLine("No RabbitMQ connection string (ConnectionStrings:rabbitmq): there is no broker topology to remove.");
            return 0;
        }

        try
        {
            var result = await remover.RemoveAsync(CancellationToken.None);
            Console.WriteLine($"Removed the Bridge topology from {result.Broker} (via {result.Method}):");
            Console.WriteLine($"  {result.DeletedExchanges.Count} exchange(s): {string.Join(", ", result.DeletedExchanges)}");
            Console.WriteLine($"  {result.DeletedQueues.Count} queue(s): {string.Join(", ", result.DeletedQueues)}");
            return 0;
        }
        catch (Exception ex) when (ex is RabbitMQ.Client.Exceptions.BrokerUnreachableException or HttpRequestException)
        {
            Console.Error.WriteLine($"The broker could not be reached: {ex.Message}");
            return 1;
        }
    }
}
