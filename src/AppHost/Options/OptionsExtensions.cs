using Microsoft.Extensions.Configuration;

namespace Bridge.AppHost.Options;

public static class OptionsExtensions
{
    /// <summary>Reads the <c>Bridge</c> section; a port offset moves the dashboard too, so two stacks can run side by side.</summary>
    public static BridgeOptions GetBridgeOptions(this IDistributedApplicationBuilder builder)
    {
        var options = BridgeOptions.From(builder.Configuration);
        if (options.PortOffset is > 0 and <= BridgeOptions.MaxPortOffset)
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ASPNETCORE_URLS"] = $"http://localhost:{DashboardPorts.Browser + options.PortOffset}",
                ["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = $"http://localhost:{DashboardPorts.Otlp + options.PortOffset}",
            });
        }

        return options;
    }

    /// <summary>The repository root: src/AppHost's grandparent.</summary>
    public static string RepositoryRoot(this IDistributedApplicationBuilder builder) =>
        Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", ".."));

    public static string DataDirectory(this IDistributedApplicationBuilder builder, BridgeOptions options) =>
        options.DataDirectory ?? Path.Combine(builder.RepositoryRoot(), ".bridge");
}
