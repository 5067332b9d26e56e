namespace Bridge.AppHost.Options;

/// <summary>The dashboard's ports in appsettings.json; <c>--port-offset</c> moves them with the services'.</summary>
public static class DashboardPorts
{
    public const int Browser = 18888;
    public const int Otlp = 18889;
}
