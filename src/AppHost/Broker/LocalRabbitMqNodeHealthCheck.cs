using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Bridge.AppHost.Broker;

/// <summary>Healthy once the node takes AMQP connections and its management API answers (the middleware uses both).</summary>
public sealed class LocalRabbitMqNodeHealthCheck(LocalRabbitMqNode node) : IHealthCheck
{
    private static readonly HttpClient Http = CreateClient();

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using (var client = new TcpClient())
            {
                await client.ConnectAsync(IPAddress.Loopback, node.AmqpPort, cancellationToken);
            }

            using var response = await Http.GetAsync(new Uri(new Uri(node.ManagementUrl), "api/overview"), cancellationToken);
            return response.IsSuccessStatusCode
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy($"management API answered {(int)response.StatusCode}");
        }
        catch (Exception ex) when (ex is SocketException or HttpRequestException or TaskCanceledException)
        {
            return HealthCheckResult.Unhealthy(ex.Message);
        }
    }

    private static HttpClient CreateClient()
    {
        var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes("guest:guest")));
        return http;
    }
}
