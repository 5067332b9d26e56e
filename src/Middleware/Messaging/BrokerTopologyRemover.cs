using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Middleware.Messaging;

/// <summary>What topology removal deleted, and how it found it.</summary>
public sealed record TopologyRemovalResult(string Broker, string Method, IReadOnlyList<string> DeletedExchanges, IReadOnlyList<string> DeletedQueues);

/// <summary>
/// Deletes every <c>bridge*</c> exchange and queue in the broker's virtual host: the middleware's and LlmServer's.
/// The management API lists them all; without it, the names the Bridge services declare are deleted over AMQP.
/// Nothing outside the prefix is touched.
/// </summary>
public sealed class BrokerTopologyRemover(RabbitMqConnection connection, IConfiguration configuration, ILogger<BrokerTopologyRemover> logger)
{
    private static readonly string[] EndpointQueues = [BrokerNames.TeacherTurnsQueue, BrokerNames.ReviewsQueue, BrokerNames.LiveStatusQueue];

    public async Task<TopologyRemovalResult> RemoveAsync(CancellationToken cancellationToken)
    {
        var broker = $"{connection.Host}:{connection.Port}{(connection.VirtualHost == "/" ? "/" : "/" + connection.VirtualHost)}";
        try
        {
            return await RemoveWithManagementApiAsync(broker, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
        {
            logger.LogInformation("RabbitMQ management API not reachable ({Reason}); deleting the known bridge names over AMQP", ex.Message);
        }

        return await RemoveWithAmqpAsync(broker, cancellationToken);
    }

    private async Task<TopologyRemovalResult> RemoveWithManagementApiAsync(string broker, CancellationToken cancellationToken)
    {
        var baseUrl = configuration["Middleware:RabbitMqManagementUrl"] ?? $"http://{connection.Host}:15672";
        using var http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(3) })
        {
            BaseAddress = new Uri(baseUrl.TrimEnd('/') + "/"),
            Timeout = TimeSpan.FromSeconds(15),
        };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{connection.Username}:{connection.Password}")));
        var vhost = Uri.EscapeDataString(connection.VirtualHost);

        var queues = await ListAsync(http, $"api/queues/{vhost}?columns=name", cancellationToken);
        var exchanges = await ListAsync(http, $"api/exchanges/{vhost}?columns=name", cancellationToken);

        var deletedQueues = new List<string>();
        foreach (var name in queues.Where(IsBridge))
        {
            using var response = await http.DeleteAsync($"api/queues/{vhost}/{Uri.EscapeDataString(name)}", cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                deletedQueues.Add(name);
            }
        }

        var deletedExchanges = new List<string>();
        foreach (var name in exchanges.Where(IsBridge))
        {
            using var response = await http.DeleteAsync($"api/exchanges/{vhost}/{Uri.EscapeDataString(name)}", cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                deletedExchanges.Add(name);
            }
        }

        return new TopologyRemovalResult(broker, "management-api", deletedExchanges, deletedQueues);
    }

    private static async Task<IReadOnlyList<string>> ListAsync(HttpClient http, string path, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(path, cancellationToken);
        response.EnsureSuccessStatusCode();
        var items = await response.Content.ReadFromJsonAsync<List<JsonElement>>(cancellationToken) ?? [];
        return [.. items.Select(i => i.GetProperty("name").GetString() ?? "")];
    }

    private async Task<TopologyRemovalResult> RemoveWithAmqpAsync(string broker, CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory { Uri = connection.AmqpUri, ClientProvidedName = "bridge-middleware-uninstall" };
        await using var amqp = await factory.CreateConnectionAsync(cancellationToken);

        var queueNames = EndpointQueues.SelectMany(EndpointEntities).ToList();
        var exchangeNames = queueNames.Concat(BridgeEntityNameFormatter.KnownExchangeNames).Distinct().ToList();

        var deletedQueues = new List<string>();
        foreach (var name in queueNames)
        {
            if (await DeleteIfPresentAsync(amqp, name, isQueue: true, cancellationToken))
            {
                deletedQueues.Add(name);
            }
        }

        var deletedExchanges = new List<string>();
        foreach (var name in exchangeNames)
        {
            if (await DeleteIfPresentAsync(amqp, name, isQueue: false, cancellationToken))
            {
                deletedExchanges.Add(name);
            }
        }

        return new TopologyRemovalResult(broker, "amqp", deletedExchanges, deletedQueues);
    }

    /// <summary>A passive declare tells whether the entity exists; a missing one closes the channel, so each name gets its own.</summary>
    private static async Task<bool> DeleteIfPresentAsync(IConnection amqp, string name, bool isQueue, CancellationToken cancellationToken)
    {
        await using var channel = await amqp.CreateChannelAsync(cancellationToken: cancellationToken);
        try
        {
            if (isQueue)
            {
                await channel.QueueDeclarePassiveAsync(name, cancellationToken);
                await channel.QueueDeleteAsync(name, ifUnused: false, ifEmpty: false, cancellationToken: cancellationToken);
            }
            else
            {
                await channel.ExchangeDeclarePassiveAsync(name, cancellationToken);
                await channel.ExchangeDeleteAsync(name, ifUnused: false, cancellationToken: cancellationToken);
            }

            return true;
        }
        catch (OperationInterruptedException)
        {
            return false;
        }
    }

    /// <summary>MassTransit declares, per receive endpoint, a queue and an exchange of the same name plus their error and skipped twins.</summary>
    private static IEnumerable<string> EndpointEntities(string endpoint) => [endpoint, $"{endpoint}_error", $"{endpoint}_skipped"];

    private static bool IsBridge(string name) => name.StartsWith(BridgeEntityNameFormatter.Prefix, StringComparison.Ordinal);
}
