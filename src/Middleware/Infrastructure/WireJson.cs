using System.Text.Json;

namespace Middleware.Infrastructure;

/// <summary>The snake_case JSON every Bridge service speaks (ServiceDefaults' <c>ConfigureJson</c>).</summary>
public static class WireJson
{
    public static JsonSerializerOptions Create(bool indented = false)
    {
        var options = Microsoft.Extensions.Hosting.Extensions.ConfigureJson(new JsonSerializerOptions(JsonSerializerDefaults.Web));
        options.WriteIndented = indented;
        return options;
    }
}
