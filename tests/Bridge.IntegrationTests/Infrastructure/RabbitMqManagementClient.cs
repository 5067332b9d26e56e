using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bridge.IntegrationTests.Infrastructure;

/// <summary>
/// The broker's own view, from the RabbitMQ management HTTP API: queues with their publish/deliver counters,
/// exchanges, consumers and connections. Tests use it as evidence that is independent of the services' claims.
/// </summary>
public sealed class RabbitMqManagementClient(Uri baseAddress, string userName, string password) : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly HttpClient http = CreateClient(baseAddress, userName, password);

    public Uri BaseAddress => baseAddress;

    public async Task<IReadOnlyList<BrokerQueue>> QueuesAsync(string virtualHost, CancellationToken cancellationToken = default) =>
        await GetAsync<List<BrokerQueue>>($"api/queues/{Escape(virtualHost)}", cancellationToken) ?? [];

    /// <summary>One queue, or null when it does not exist.</summary>
    public Task<BrokerQueue?> QueueAsync(string virtualHost, string queue, CancellationToken cancellationToken = default) =>
        GetAsync<BrokerQueue>($"api/queues/{Escape(virtualHost)}/{Escape(queue)}", cancellationToken);

    public async Task<IReadOnlyList<BrokerExchange>> ExchangesAsync(string virtualHost, CancellationToken cancellationToken = default) =>
        await GetAsync<List<BrokerExchange>>($"api/exchanges/{Escape(virtualHost)}", cancellationToken) ?? [];

    public async Task<IReadOnlyList<BrokerConsumer>> ConsumersAsync(string virtualHost, CancellationToken cancellationToken = default) =>
        await GetAsync<List<BrokerConsumer>>($"api/consumers/{Escape(virtualHost)}", cancellationToken) ?? [];

    /// <summary>The vhost's channels with their unacknowledged deliveries and the client port of their connection.</summary>
    public async Task<IReadOnlyList<BrokerChannelState>> ChannelsAsync(string virtualHost, CancellationToken cancellationToken = default) =>
        await GetAsync<List<BrokerChannelState>>($"api/vhosts/{Escape(virtualHost)}/channels", cancellationToken) ?? [];

    public Task<BrokerChannel?> ChannelAsync(string channelName, CancellationToken cancellationToken = default) =>
        GetAsync<BrokerChannel>($"api/channels/{Escape(channelName)}", cancellationToken);

    /// <summary>A fresh virtual host the default user may use fully, so each test sees only its own topology and counters.</summary>
    public async Task CreateVirtualHostAsync(string virtualHost, CancellationToken cancellationToken = default)
    {
        using var created = await http.PutAsync($"api/vhosts/{Escape(virtualHost)}", JsonContent.Create(new { }), cancellationToken);
        await EnsureSuccessAsync(created, cancellationToken);

        var permissions = new { configure = ".*", write = ".*", read = ".*" };
        using var granted = await http.PutAsJsonAsync(
            $"api/permissions/{Escape(virtualHost)}/{Escape(userName)}", permissions, cancellationToken);
        await EnsureSuccessAsync(granted, cancellationToken);
    }

    public async Task DeleteVirtualHostAsync(string virtualHost, CancellationToken cancellationToken = default)
    {
        using var response = await http.DeleteAsync($"api/vhosts/{Escape(virtualHost)}", cancellationToken);
        if (response.StatusCode != HttpStatusCode.NotFound)
        {
            await EnsureSuccessAsync(response, cancellationToken);
        }
    }

    /// <summary>Closes every client connection from the broker's side, as a broker restart would.</summary>
    public async Task CloseAllConnectionsAsync(string reason, CancellationToken cancellationToken = default)
    {
        var connections = await GetAsync<List<BrokerNamedItem>>("api/connections", cancellationToken) ?? [];
        foreach (var connection in connections)
        {
            using var request = new HttpRequestMessage(HttpMethod.Delete, $"api/connections/{Escape(connection.Name)}");
            request.Headers.Add("X-Reason", reason);
            using var response = await http.SendAsync(request, cancellationToken);
            if (response.StatusCode != HttpStatusCode.NotFound)
            {
                await EnsureSuccessAsync(response, cancellationToken);
            }
        }
    }

    /// <summary>Answers once the node serves the API (used after a restart).</summary>
    public async Task<bool> IsAliveAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            using var response = await http.GetAsync("api/overview", cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    public void Dispose() => http.Dispose();

    private static HttpClient CreateClient(Uri baseAddress, string userName, string password)
    {
        var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(10) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{userName}:{password}")));
        return client;
    }

    // The default vhost "/" must travel as %2F; Uri keeps an escaped slash escaped.
    private static string Escape(string segment) => Uri.EscapeDataString(segment);

    private async Task<T?> GetAsync<T>(string path, CancellationToken cancellationToken)
        where T : class
    {
        using var response = await http.GetAsync(path, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken);
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new HttpRequestException(
                $"RabbitMQ management {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {body}");
        }
    }
}

public sealed record BrokerQueue(
    string Name,
    [property: JsonPropertyName("vhost")] string VirtualHost,
    bool Durable,
    [property: JsonPropertyName("auto_delete")] bool AutoDelete,
    long Messages,
    long Consumers,
    [property: JsonPropertyName("message_stats")] BrokerMessageStats? MessageStats);

/// <summary>Cumulative counters the broker keeps per queue or channel (absent until the first message).</summary>
public sealed record BrokerMessageStats(
    long Publish,
    long Deliver,
    [property: JsonPropertyName("deliver_get")] long DeliverGet,
    long Ack,
    long Redeliver);

public sealed record BrokerExchange(
    string Name,
    [property: JsonPropertyName("vhost")] string VirtualHost,
    string Type,
    bool Durable,
    [property: JsonPropertyName("auto_delete")] bool AutoDelete);

public sealed record BrokerConsumer(
    [property: JsonPropertyName("consumer_tag")] string ConsumerTag,
    [property: JsonPropertyName("queue")] BrokerNamedItem Queue,
    [property: JsonPropertyName("channel_details")] BrokerChannelDetails ChannelDetails);

public sealed record BrokerNamedItem(string Name);

public sealed record BrokerChannelDetails(
    string Name,
    [property: JsonPropertyName("connection_name")] string ConnectionName,
    [property: JsonPropertyName("peer_port")] int PeerPort);

public sealed record BrokerChannelState(
    string Name,
    [property: JsonPropertyName("messages_unacknowledged")] long MessagesUnacknowledged,
    [property: JsonPropertyName("connection_details")] BrokerConnectionDetails ConnectionDetails);

public sealed record BrokerConnectionDetails(
    string Name,
    [property: JsonPropertyName("peer_port")] int PeerPort);

public sealed record BrokerChannel(
    string Name,
    [property: JsonPropertyName("message_stats")] BrokerMessageStats? MessageStats);
