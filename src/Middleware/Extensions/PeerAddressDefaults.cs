using Microsoft.Extensions.Configuration.Memory;

namespace Middleware.Extensions;

public static class PeerAddressDefaults
{
    public const string CerebrumAddress = "http://localhost:8000";
    public const string LlmServerAddress = "http://localhost:8001";

    /// <summary>
    /// The seed's well-known ports, as the lowest-priority configuration source: appsettings.json, the seed's
    /// config.json, <c>services__*</c> variables and the command line all override them, and service discovery finds
    /// them even when the middleware runs from a directory without appsettings.json.
    /// </summary>
    public static IConfigurationManager AddPeerAddressDefaults(this IConfigurationManager configuration)
    {
        configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?>
            {
                [$"services:{PeerClientExtensions.CerebrumService}:http:0"] = CerebrumAddress,
                [$"services:{PeerClientExtensions.LlmServerService}:http:0"] = LlmServerAddress,
            },
        });
        return configuration;
    }
}
