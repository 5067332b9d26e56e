namespace Bridge.AppHost.Broker;

/// <summary>The broker the services are wired to (null resource = HTTP mode), said once at start-up.</summary>
public sealed record BrokerChoice(IResourceBuilder<IResourceWithConnectionString>? Resource, string Description, string? ManagementUrl = null);
