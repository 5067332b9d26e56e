using Microsoft.Extensions.Primitives;
using Middleware.Extensions;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace Middleware.Infrastructure;

/// <summary>
/// YARP routes <c>/api/cerebrum/{**}</c> → Cerebrum <c>/api/{**}</c> and <c>/api/llm/{**}</c> → LlmServer <c>/api/{**}</c>,
/// with destinations read from the same <c>services:*:http:0</c> keys the Refit clients resolve.
/// </summary>
public sealed class PeerProxyConfigProvider(IConfiguration configuration) : IProxyConfigProvider
{
    public const string CerebrumPrefix = "/api/cerebrum";
    public const string LlmPrefix = "/api/llm";

    public IProxyConfig GetConfig() => new PeerProxyConfig(
        [Route(PeerClientExtensions.CerebrumService, CerebrumPrefix), Route(PeerClientExtensions.LlmServerService, LlmPrefix)],
        [
            Cluster(PeerClientExtensions.CerebrumService, Address(PeerClientExtensions.CerebrumService, PeerAddressDefaults.CerebrumAddress), TimeSpan.FromSeconds(60)),
            // A chat with a local model on a slow CPU can take minutes.
            Cluster(PeerClientExtensions.LlmServerService, Address(PeerClientExtensions.LlmServerService, PeerAddressDefaults.LlmServerAddress), TimeSpan.FromMinutes(5)),
        ]);

    private string Address(string service, string fallback) => configuration[$"services:{service}:http:0"] ?? configuration[$"services:{service}:https:0"] ?? fallback;

    private static RouteConfig Route(string cluster, string prefix) => new()
    {
        RouteId = cluster,
        ClusterId = cluster,
        Match = new RouteMatch { Path = prefix + "/{**catch-all}" },
        Transforms = [new Dictionary<string, string> { ["PathPattern"] = "/api/{**catch-all}" }],
    };

    private static ClusterConfig Cluster(string id, string address, TimeSpan activityTimeout) => new()
    {
        ClusterId = id,
        Destinations = new Dictionary<string, DestinationConfig> { [id] = new() { Address = address } },
        HttpRequest = new ForwarderRequestConfig { ActivityTimeout = activityTimeout },
    };

    private sealed class PeerProxyConfig(IReadOnlyList<RouteConfig> routes, IReadOnlyList<ClusterConfig> clusters) : IProxyConfig
    {
        public IReadOnlyList<RouteConfig> Routes { get; } = routes;

        public IReadOnlyList<ClusterConfig> Clusters { get; } = clusters;

        // Addresses are read once at start-up, as service discovery does for the Refit clients.
        public IChangeToken ChangeToken { get; } = new CancellationChangeToken(CancellationToken.None);
    }
}
