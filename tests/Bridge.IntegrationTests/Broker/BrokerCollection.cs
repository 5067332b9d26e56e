using Bridge.IntegrationTests.Infrastructure;

namespace Bridge.IntegrationTests.Broker;

/// <summary>The broker tests share one RabbitMQ node (starting one takes seconds) and run one after another;
/// each test works in its own vhost, so topology and counters never leak between them.</summary>
[CollectionDefinition(Name)]
public sealed class BrokerCollection : ICollectionFixture<RabbitMqFixture>
{
    public const string Name = "RabbitMQ broker";
}
